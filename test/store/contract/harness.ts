/** What the store contract suite runs against: a way to open handles on one store's data, and a test clock. */
import { afterEach, beforeEach } from 'vitest';
import type { Clock, RunStore } from '../../../src/core/ports.js';
import { manualClock } from '../fixtures.js';

export const T0 = Date.UTC(2025, 0, 1);
export const DAY_MS = 86_400_000;

export type ManualClock = ReturnType<typeof manualClock>;

export interface StoreHarness {
  /**
   * A new handle on the store's data: another process on the same database while others are open, a restart
   * once they are closed.
   */
  open(): RunStore;
  /** Removes what the store left behind (its temp dir). Handles are closed before. */
  cleanup(): void;
}

/** Builds a harness on fresh, empty data; every handle reads time from `clock`. */
export type MakeStoreHarness = (clock: Clock) => StoreHarness;

export interface ContractContext {
  clock: ManualClock;
  /** The first handle, opened before each test. */
  store: RunStore;
  /** Another handle (closed after the test). */
  open(): RunStore;
  /** Closes every handle and opens a new one on the same data (a process restart). */
  reopen(): RunStore;
}

/** Registers the hooks of one contract block; the returned context is filled in before each test. */
export function contractContext(make: MakeStoreHarness): ContractContext {
  const clock = manualClock(T0);
  let harness: StoreHarness | undefined;
  let handles: RunStore[] = [];
  const open = (): RunStore => {
    if (!harness) throw new Error('contract harness used outside a test');
    const s = harness.open();
    handles.push(s);
    return s;
  };
  const closeAll = (): void => {
    for (const h of handles) h.close();
    handles = [];
  };
  const ctx: ContractContext = {
    clock,
    store: undefined as unknown as RunStore,
    open,
    reopen: () => {
      closeAll();
      ctx.store = open();
      return ctx.store;
    },
  };
  beforeEach(() => {
    clock.set(T0);
    harness = make(clock);
    ctx.store = open();
  });
  afterEach(() => {
    closeAll();
    harness?.cleanup();
    harness = undefined;
  });
  return ctx;
}
