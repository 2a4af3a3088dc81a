/**
 * The process-wide view of the test accounts for /metrics and the status page: every account pool (and any other
 * owner of a flood budget) registers a source; `accountTelemetry()` merges them. No prom-client here: src/status
 * reads this and builds the series.
 */
import type { BudgetFigures } from '../telegram/flood-budget.js';
import type { AccountHealth } from './account-pool-port.js';

export interface AccountTelemetry {
  health: AccountHealth[];
  budget: BudgetFigures[];
}

type Source = () => AccountTelemetry;

const sources = new Set<Source>();

/** Adds a source; returns the function that removes it (call it when the pool closes). */
export function registerAccountTelemetry(source: Source): () => void {
  sources.add(source);
  return () => void sources.delete(source);
}

export function accountTelemetry(): AccountTelemetry {
  const out: AccountTelemetry = { health: [], budget: [] };
  for (const s of sources) {
    const t = s();
    out.health.push(...t.health);
    out.budget.push(...t.budget);
  }
  return out;
}
