/** The failure-rate comparison of the verdict as Prometheus gauges (Pushgateway text and serve /metrics). */
import { describe, expect, it } from 'vitest';
import { buildPushgatewayText, buildServeMetrics } from '../../src/status/metrics.js';
import type { RateComparisonReport } from '../../src/core/types.js';
import { makeRun } from '../notifiers/fixtures.js';

const T0 = 1_700_000_000_000;
const cmp = (band: RateComparisonReport['band'], canaryRate: number, p: number): RateComparisonReport => ({
  canary: { n: 12, failures: Math.round(canaryRate * 12), rate: canaryRate, shared: 0 }, stable: { n: 12, failures: 0, rate: 0, shared: 0 },
  canaryRate, stableRate: 0, p, level: 0.025, significant: band === 'fail', insufficient: false, band,
});

function runWithRates(): ReturnType<typeof makeRun> {
  const run = makeRun('run-m', 'fail', T0);
  run.verdict.failureRates = {
    runs: 2, alpha: 0.05, tolerance: 0.1, minSamples: 5, overall: cmp('fail', 0.3333, 0.0019),
    suites: { jokes: cmp('fail', 0.5, 0.007), rag: cmp('pass', 0, 1) }, sharedCauses: [],
  };
  return run;
}

describe('failure-rate gauges', () => {
  it('Pushgateway text of the canary group carries rate, p and band per scope; stable gets its rate only', async () => {
    const canary = await buildPushgatewayText(runWithRates(), 'canary', null);
    expect(canary).toContain('tg_canary_failure_rate{scope="overall"} 0.3333');
    expect(canary).toContain('tg_canary_failure_rate{scope="jokes"} 0.5');
    expect(canary).toContain('tg_canary_failure_rate_p{scope="overall"} 0.0019');
    expect(canary).toContain('tg_canary_failure_band{scope="overall",band="fail"} 1');
    expect(canary).toContain('tg_canary_failure_band{scope="overall",band="pass"} 0');
    expect(canary).toContain('tg_canary_failure_band{scope="rag",band="pass"} 1');
    const stable = await buildPushgatewayText(runWithRates(), 'stable', null);
    expect(stable).toContain('tg_canary_failure_rate{scope="overall"} 0');
    expect(stable).not.toMatch(/^tg_canary_failure_rate_p\{/m);
    expect(stable).not.toMatch(/^tg_canary_failure_band\{/m);
  });

  it('serve /metrics labels them by target; a run without rates sets none', async () => {
    const m = buildServeMetrics({ defaultMetrics: false });
    m.recordRun(runWithRates(), { lastSuccessAt: {} });
    const text = await m.metrics();
    expect(text).toContain('tg_canary_failure_rate_p{target="canary",scope="jokes"} 0.007');
    const plain = buildServeMetrics({ defaultMetrics: false });
    plain.recordRun(makeRun('run-n', 'pass', T0), { lastSuccessAt: {} });
    expect(await plain.metrics()).not.toMatch(/^tg_canary_failure_rate\{/m);
  });
});
