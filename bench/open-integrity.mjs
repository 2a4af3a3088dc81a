#!/usr/bin/env node
// Cost of the integrity check at open (issue 15 #3): one year of hourly runs (bench/year-history.mjs) in a temp
// SQLite file, then `openStore` with and without `PRAGMA quick_check`, each the median of several cold-ish opens
// (a new connection each time; the OS page cache stays warm, as it does for an hourly CronJob on one node).
// Prints `BENCH <id> <value> <unit> target <op> <value> met|missed|info` lines. Needs `npm run build` first.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { fillYear } from './year-history.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.TG_CANARY_DIST ?? join(here, '..', 'dist'));
const { openStore } = await import(pathToFileURL(join(dist, 'store', 'index.js')).href);
const HOURS = Number(process.env.BENCH_HOURS ?? 8760);
const REPS = 7;
const TARGET_MS = 1000;

const line = (id, value, unit, op, target, verdict) => console.log(`BENCH ${id} ${value} ${unit} target ${op} ${target} ${verdict}`);
function median(fn) {
  const xs = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-integrity-'));
const path = join(dir, 'history.db');
try {
  const store = openStore(path, { integrityCheck: false });
  fillYear(store, HOURS);
  store.close();
  line('integrity-db-size', (statSync(path).size / 1048576).toFixed(1), 'MB', 'info', '-', 'info');
  const plain = median(() => openStore(path, { integrityCheck: false }).close());
  const checked = median(() => openStore(path).close());
  line('open-without-check', plain.toFixed(1), 'ms', 'info', '-', 'info');
  line('open-with-quick-check', checked.toFixed(1), 'ms', '<=', TARGET_MS, checked <= TARGET_MS ? 'met' : 'missed');
  line('quick-check-cost', (checked - plain).toFixed(1), 'ms', 'info', '-', 'info');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
