/**
 * One contract for every store implementation (as mtcute's repository test-utils and gatus' store tests do): each
 * role's semantics, run against the SQLite store (a real file) and the in-memory one alike.
 */
import { describe } from 'vitest';
import { describeAlertStateContract } from './alert-state-contract.js';
import { describeFactsContract, describeScenarioCacheContract } from './facts-cache-contract.js';
import type { MakeStoreHarness } from './harness.js';
import { describeRunHistoryContract } from './history-contract.js';
import { describeSessionLeaseContract } from './lease-contract.js';
import { describeOutboxContract } from './outbox-contract.js';
import { describePeerCacheContract } from './peer-cache-contract.js';
import { describeUpkeepContract } from './upkeep-contract.js';

export type { MakeStoreHarness, StoreHarness } from './harness.js';

export function describeRunStoreContract(name: string, make: MakeStoreHarness): void {
  describe(`${name}: the store contract`, () => {
    describeRunHistoryContract(make);
    describeFactsContract(make);
    describeOutboxContract(make);
    describeAlertStateContract(make);
    describeSessionLeaseContract(make);
    describeScenarioCacheContract(make);
    describePeerCacheContract(make);
    describeUpkeepContract(make);
  });
}
