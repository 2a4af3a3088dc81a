#!/usr/bin/env node
/**
 * Issue 17 — the status page with its history sections (90-day daily bars per target and suite, uptime, p50/p95
 * latency, incidents, maintenance windows and silences) over a year of hourly runs in a real SQLite file
 * (bench/year-history.mjs: 8,760 runs × 2 targets × 12 scenarios). Times, as the median of REPS repetitions after
 * a warm-up, what `GET /` costs in `serve`: the daemon's page data from SQLite + renderStatusPage, with the clock
 * at the end of the generated year (so the 90 days are full). Target ≤ 200 ms, for the first render after a run
 * (history read from SQLite) and for the refreshes in between (cached history). Env: BENCH_HOURS (default 8760).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { bench, dist, median, runBench, tempDir } from './lib.mjs';
import { fillYear, HOUR, T0 } from './year-history.mjs';

const HOURS = Number(process.env.BENCH_HOURS ?? 8760);
const REPS = 9;

runBench('status-page-render', async () => {
  const { openStore } = await dist('store/index.js');
  const { renderStatusPage } = await dist('status/status-page.js');
  const { createServeDaemon } = await dist('app/serve-daemon.js');
  const { createDeliveries } = await dist('app/deliveries.js');
  const { loadConfig } = await dist('config/index.js');
  const { silentLogger } = await dist('util/logger.js');
  const tmp = tempDir();
  const db = join(tmp.dir, 'history.db');
  const store = openStore(db);
  try {
    fillYear(store, HOURS);
    const now = T0 + HOURS * HOUR + 30 * 60_000;
    const clock = { now: () => now, sleep: async () => undefined };
    const config = await loadConfig({
      env: {
        TG_SESSION: 'bench-session-not-used', TG_API_ID: '1', TG_API_HASH: '0123456789abcdef0123456789abcdef',
        CANARY_BOT: 'canary_bot', STABLE_BOT: 'stable_bot', TG_CANARY_DB: db, REPORTS_DIR: join(tmp.dir, 'reports'),
      },
    });
    config.maintenance.windows = [
      { name: 'weekly-db', cron: '0 3 * * sun', duration: 2 * HOUR, match: {} },
      { name: 'rag-reindex', start: now - HOUR, end: now + HOUR, mode: 'run-silently', match: { target: 'canary', suite: 'rag' } },
    ];
    for (let i = 0; i < 5; i++) {
      store.addSilence({ id: `sil-${i}`, createdAt: now - i * HOUR, startsAt: now - i * HOUR, endsAt: now + HOUR, expiredAt: null,
        matchers: { target: 'canary', suite: 'joke' }, reason: `<b>bench ${i}</b>`, createdBy: 'bench' });
    }
    const logger = silentLogger();
    const deliveries = createDeliveries({ config, store, clock, logger, version: 'bench', processStartedAt: now });
    const daemon = createServeDaemon({ config, store, clock, logger, version: 'bench', processStartedAt: now, deliveries, loadScenarios: async () => [] });
    let page = '';
    const once = () => {
      page = renderStatusPage(daemon.deps.getStatusPageData());
    };
    const c0 = performance.now();
    once();
    const cold = performance.now() - c0;
    const xs = [];
    for (let i = 0; i < REPS; i++) {
      const t = performance.now();
      once();
      xs.push(performance.now() - t);
    }
    const view = daemon.deps.getStatusPageData().historyView;
    const up = view.targets.find((t) => t.target === 'canary')?.uptime;
    const judged = (up?.judged ?? 0) + (up?.inconclusive ?? 0);
    if (judged < 89 * 24 || view.incidents.length === 0 || !page.includes('data-maintenance="rag-reindex"') || page.includes('<b>bench')) {
      throw new Error(`status page: history missing or unescaped (judged ${judged}, incidents ${view.incidents.length})`);
    }
    bench('status-page-render-1y-incidents', view.incidents.length, 'count');
    bench('status-page-render-1y-size', page.length / 1024, 'KB');
    // the first render after a run reads the 90 days from SQLite; the page's 30 s refreshes in between reuse it
    bench('status-page-render-1y-after-run', cold, 'ms', '<=', 200);
    bench('status-page-render-1y', median(xs), 'ms', '<=', 200);
    await daemon.stop(100);
  } finally {
    store.close();
    tmp.remove();
  }
});
