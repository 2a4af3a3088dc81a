/** The store contract against the SQLite store: a real database file in a temp dir, one connection per handle. */
import { join } from 'node:path';
import { openStore } from '../../../src/store/index.js';
import { tempDir } from '../fixtures.js';
import { describeRunStoreContract } from './run-store-contract.js';

describeRunStoreContract('SqliteRunStore', (clock) => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'runs.db');
  return { open: () => openStore(path, { clock }), cleanup: tmp.cleanup };
});
