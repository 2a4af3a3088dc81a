import { randomBytes } from 'node:crypto';

/** Sortable, readable run id: `20261123-180512-a1b2c3`. */
export function newRunId(now: number): string {
  const iso = new Date(now).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${randomBytes(3).toString('hex')}`;
}
