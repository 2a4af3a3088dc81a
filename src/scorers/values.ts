import { cachedSafeRegex, type SafeRegex } from '../util/safe-regex.js';

/** Reading assertion values (already validated at load time, but the runner may substitute anything). */

export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

export function asTextList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asText);
  return value === undefined || value === null ? [] : [asText(value)];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `/source/flags` or a bare source (no flags), compiled for the linear-time engine (re2js). */
export function parseRegex(value: string): SafeRegex {
  return cachedSafeRegex(value);
}
