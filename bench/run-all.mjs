#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench script in sequence, streams their output, then prints how many BENCH figures met
 * or missed their targets. Always exits 0. Args: names to run only some, e.g. `node bench/run-all.mjs cold-start`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchDir } from './lib.mjs';

const SCRIPTS = [
  'sandbox-roundtrip', // sandbox ↔ gramjs roundtrip, in one process and across processes
  'reply-overhead', // issue 7 row 1
  'finality-overhead', // hearing the bot: time from the bot's last activity to the decision
  'cold-start', // row 2
  'peer-cache', // issue 19: resolveUsername calls of a second run
  'cycle-wall', // row 3
  'run-memory', // row 4
  'history-scale', // row 5
  'report-render', // row 6
  'status-page-render', // issue 17: the page with 90-day history, incidents, maintenance
  'serve-soak', // issue 6 soak
  'pg-store', // issue 19 point 5: the PostgreSQL store's synchronous bridge
  'fleet', // issue 19: 20 pairs from one account
];

const only = process.argv.slice(2);
const chosen = only.length ? SCRIPTS.filter((s) => only.includes(s)) : SCRIPTS;
const results = [];
const t0 = Date.now();
for (const name of chosen) {
  const started = Date.now();
  console.log(`# ${name}`);
  const child = spawn(process.execPath, [join(benchDir, `${name}.mjs`), ...(name === 'sandbox-roundtrip' ? ['--n', '500'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rest = '';
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    rest += d;
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('BENCH ')) results.push({ name, line: l });
  });
  const code = await new Promise((r) => {
    child.on('error', () => r(-1));
    child.on('close', r);
  });
  if (rest.startsWith('BENCH ')) results.push({ name, line: rest });
  console.log(`# ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${code})`);
}
const met = results.filter((r) => r.line.endsWith(' met')).length;
const missed = results.filter((r) => r.line.endsWith(' missed'));
console.log(`# bench: ${results.length} figures, ${met} met, ${missed.length} missed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
for (const m of missed) console.log(`#   missed (${m.name}): ${m.line}`);
process.exit(0);
