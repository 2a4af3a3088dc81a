/** The store contract against the in-memory store: handles share one data object, as connections share a file. */
import { createMemoryStore, createMemoryStoreData } from '../../support/memory-store.js';
import { describeRunStoreContract } from './run-store-contract.js';

describeRunStoreContract('MemoryRunStore', (clock) => {
  const data = createMemoryStoreData();
  return { open: () => createMemoryStore({ clock, data }), cleanup: () => undefined };
});
