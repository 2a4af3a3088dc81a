/**
 * Who runs what: `host:pid:nonce` of this process, and whether the process behind such a string is gone. A holder
 * on this host is checked at once (signal 0); one on another host cannot be, and is only ever judged by its expiry.
 * The nonce tells this process from an earlier one with the same pid (a restarted container is pid 1 again).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

const NONCE = randomBytes(4).toString('hex');

export function processOwner(): string {
  return `${hostname()}:${process.pid}:${NONCE}`;
}

/** True when `holder` (`host:pid[:nonce[:anything]]`) names a process on this host that no longer exists. */
export function ownerIsDead(holder: string, self: string = processOwner()): boolean {
  const [host, pidText, nonce] = holder.split(':');
  const [selfHost, selfPid, selfNonce] = self.split(':');
  if (!host || host !== selfHost || !pidText || !/^\d+$/.test(pidText)) return false;
  if (pidText === selfPid) return nonce !== undefined && nonce !== selfNonce;
  try {
    process.kill(Number(pidText), 0);
    return false;
  } catch (e) {
    // ESRCH: no such process. EPERM: it exists (another user's).
    return (e as { code?: string }).code === 'ESRCH';
  }
}
