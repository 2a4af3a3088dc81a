#!/usr/bin/env node
// Seeds a history database for the README screenshot (issue 17): 30 days of runs every 2 hours before now, with two
// failing streaks (incidents), a few inconclusive runs, and one silence. Usage: node scripts/seed-demo-history.mjs DB
import { fileURLToPath } from 'node:url';
import { yearRun, HOUR } from '../bench/year-history.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { openStore } = await import(`${root}dist/store/index.js`);
const db = process.argv[2];
if (!db) throw new Error('usage: seed-demo-history.mjs DB');

const now = Date.now();
const first = now - 30 * 24 * HOUR;
/** What happens at run i: a 10-hour failing streak on day 9, a 4-hour one on day 22, an inconclusive every ~37 runs. */
function fate(i) {
  const day = Math.floor((i * 2) / 24);
  const hour = (i * 2) % 24;
  if (day === 9 && hour >= 8 && hour < 18) return 'fail';
  if (day === 22 && hour >= 2 && hour < 6) return 'fail';
  return i % 37 === 5 ? 'inconclusive' : 'pass';
}

const store = openStore(db);
try {
  const n = 30 * 12;
  store.batch(() => {
    for (let i = 0; i < n; i++) {
      const run = yearRun(i);
      const t0 = first + i * 2 * HOUR;
      const shift = t0 - run.startedAt;
      const f = fate(i);
      run.runId = `seed-${String(i).padStart(4, '0')}`;
      run.verdict.runId = run.runId;
      run.startedAt += shift;
      run.finishedAt += shift;
      run.verdict.startedAt = new Date(run.startedAt).toISOString();
      run.verdict.finishedAt = new Date(run.finishedAt).toISOString();
      for (const s of run.scenarios) {
        s.startedAt += shift;
        s.finishedAt += shift;
        const failing = s.target === 'canary' && s.suite === 'favor' && s.scenario.endsWith('02');
        s.status = f === 'fail' && failing ? 'fail' : f === 'inconclusive' && s.target === 'canary' && s.suite === 'rag' ? 'error' : 'pass';
        s.reasons = s.status === 'fail' ? ['contains "6.21": not found in "Sorry, something went wrong."'] : s.status === 'error' ? ['TG_FLOOD_WAIT: Telegram asked to wait 30 s'] : [];
      }
      for (const t of ['canary', 'stable']) {
        const mine = run.scenarios.filter((s) => s.target === t);
        const v = mine.some((s) => s.status === 'fail') ? 'fail' : mine.some((s) => s.status === 'error') ? 'inconclusive' : 'pass';
        run.verdict.targets[t].verdict = v;
        for (const [suite, sum] of Object.entries(run.verdict.targets[t].suites)) {
          const ss = mine.filter((s) => s.suite === suite);
          sum.status = ss.some((s) => s.status === 'fail') ? 'fail' : ss.some((s) => s.status === 'error') ? 'error' : 'pass';
        }
      }
      run.verdict.verdict = run.verdict.targets.canary.verdict;
      run.verdict.decision = run.verdict.verdict === 'fail' ? 'rollback' : run.verdict.verdict === 'pass' ? 'promote' : 'hold';
      run.verdict.reasons = run.verdict.verdict === 'fail' ? ['canary fails favor: favor-scenario-02'] : [];
      run.verdict.scenarios = run.scenarios.map((s) => ({ name: s.scenario, suite: s.suite, target: s.target, status: s.status, score: s.score, latencyMs: s.latencyMs, reasons: s.reasons }));
      store.finishRun(run);
    }
  });
  store.addSilence({ id: 'sil-demo-rag', createdAt: now, startsAt: now, endsAt: now + 2 * HOUR, expiredAt: null,
    matchers: { target: 'canary', suite: 'rag' }, reason: 'reindexing the knowledge base', createdBy: 'cli:oncall' });
  console.log(`seeded ${n} runs into ${db}`);
} finally {
  store.close();
}
