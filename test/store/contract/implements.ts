/**
 * Compile-time proof that both stores implement every store role (gatus asserts this for its stores). Checked by
 * `npx tsc -p tsconfig.test.json`; nothing here runs.
 */
import type {
  AlertStateStore, FactStore, OutboxStore, PeerCacheStore, RunHistoryReader, RunHistoryStore, RunStore, ScenarioCacheStore,
  SessionLeaseStore, StoreUpkeep,
} from '../../../src/core/ports.js';
import type { SqliteRunStore } from '../../../src/store/index.js';
import type { MemoryRunStore } from '../../support/memory-store.js';

type Implements<Port, Impl extends Port> = Impl;

export type StoreRoleProof<S extends RunStore> = [
  Implements<RunHistoryReader, S>, Implements<RunHistoryStore, S>, Implements<FactStore, S>, Implements<OutboxStore, S>,
  Implements<AlertStateStore, S>, Implements<SessionLeaseStore, S>, Implements<ScenarioCacheStore, S>,
  Implements<PeerCacheStore, S>,   Implements<StoreUpkeep, S>,
];

export type SqliteStoreImplementsRoles = StoreRoleProof<SqliteRunStore>;
export type MemoryStoreImplementsRoles = StoreRoleProof<MemoryRunStore>;
