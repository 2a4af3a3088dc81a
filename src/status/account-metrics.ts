/**
 * /metrics series of the test accounts (fleet mode), read at scrape time from `accountTelemetry()`
 * (src/fleet/account-telemetry.ts): health per account and the flood budget per account and method family.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AccountTelemetry } from '../fleet/account-telemetry.js';

const STATES = ['ready', 'busy', 'draining', 'drained', 'lease-held'] as const;

export function registerAccountMetrics(registry: Registry, read: () => AccountTelemetry): void {
  let cached: AccountTelemetry | undefined;
  // one read per scrape: the first collect takes it, the others reuse it within the same tick
  const snap = (): AccountTelemetry => {
    if (!cached) {
      cached = read();
      queueMicrotask(() => void setImmediate(() => (cached = undefined)));
    }
    return cached;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, t: AccountTelemetry) => void): void => {
    new Gauge({
      name, help, labelNames, registers: [registry],
      collect(this: Gauge<string>): void {
        this.reset();
        fill(this, snap());
      },
    });
  };
  // counters kept by the budget: set from its totals at scrape time (reset, then inc by the total)
  const counter = (name: string, help: string, value: (b: AccountTelemetry['budget'][number]) => number): void => {
    new Counter({
      name, help, labelNames: ['account', 'family'], registers: [registry],
      collect(this: Counter<string>): void {
        this.reset();
        for (const b of snap().budget) this.inc({ account: b.account, family: b.family }, value(b));
      },
    });
  };
  gauge('tg_canary_account_up', '1 when the test account can serve pairs (not drained, not revoked), else 0.', ['account'], (g, t) => {
    for (const h of t.health) g.set({ account: h.account }, h.state === 'drained' || h.state === 'draining' ? 0 : 1);
  });
  gauge('tg_canary_account_state', '1 for the state of the test account, 0 for the others.', ['account', 'state'], (g, t) => {
    for (const h of t.health) for (const s of STATES) g.set({ account: h.account, state: s }, h.state === s ? 1 : 0);
  });
  gauge('tg_canary_account_pairs', 'Bot pairs assigned to the test account this cycle.', ['account'], (g, t) => {
    for (const h of t.health) g.set({ account: h.account }, h.pairs.length);
  });
  gauge('tg_canary_account_drained_until_timestamp_seconds', 'When the drain of a flood-waiting test account ends (unix seconds).', ['account'], (g, t) => {
    for (const h of t.health) if (h.drainedUntil !== undefined) g.set({ account: h.account }, h.drainedUntil / 1000);
  });
  gauge('tg_canary_account_budget_tokens', 'Calls the account may make now in the method family (token bucket; resolve: lookups left this minute).', ['account', 'family'], (g, t) => {
    for (const b of t.budget) g.set({ account: b.account, family: b.family }, b.tokens);
  });
  gauge('tg_canary_account_budget_capacity', 'Burst size of the method family bucket of the account.', ['account', 'family'], (g, t) => {
    for (const b of t.budget) g.set({ account: b.account, family: b.family }, b.capacity);
  });
  counter('tg_canary_account_calls_total', 'Telegram calls the account made in the method family.', (b) => b.calls);
  counter('tg_canary_account_flood_waits_total', 'Flood waits Telegram gave the account in the method family.', (b) => b.floodWaits);
  counter('tg_canary_account_flood_wait_seconds_total', 'Seconds of flood wait Telegram gave the account in the method family.', (b) => b.floodWaitSeconds);
}
