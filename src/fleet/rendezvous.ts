/**
 * Rendezvous (highest-random-weight) hashing of bot pairs over test accounts: every pair scores every account by a
 * hash of both names and goes to the highest score. The choice depends only on the names, so it is the same in every
 * process and every run (memory checks stay in one chat), adding an account moves only the pairs it now wins
 * (about 1/n of them), and a drained account's pairs spread over the others instead of piling onto one.
 */
import { createHash } from 'node:crypto';

function weight(pair: string, account: string): bigint {
  return createHash('sha256').update(pair).update('\u0000').update(account).digest().readBigUInt64BE(0);
}

/** The account among `accounts` that wins `pair`; undefined when there is none. Ties go to the earlier name. */
export function rendezvousOwner(pair: string, accounts: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const a of accounts) {
    const w = weight(pair, a);
    if (w > bestWeight) {
      best = a;
      bestWeight = w;
    }
  }
  return best;
}

/** pair → account for every pair (pairs absent when `accounts` is empty). */
export function rendezvousAssign(pairs: readonly string[], accounts: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pairs) {
    const a = rendezvousOwner(p, accounts);
    if (a !== undefined) out.set(p, a);
  }
  return out;
}
