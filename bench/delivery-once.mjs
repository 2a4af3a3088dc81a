#!/usr/bin/env node
// Delivery to the receiver, repeated (issue 15 #1): N times each, (a) two concurrent `run`s on one database and
// session, (b) kill -9 of a run while the receiver holds its webhook request, then the next run. A loopback
// receiver records every request's Idempotency-Key. Counted: requests, distinct keys, keys that arrived more than
// once, and runs whose push never arrived (lost). Real CLI processes, the in-process sandbox, real SQLite files.
// Needs `npm run build` first. Usage: node bench/delivery-once.mjs [--n 20]. Exits 1 when a count is not as stated.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.TG_CANARY_DIST ?? join(here, '..', 'dist'));
const CLI = join(dist, 'cli', 'main.js');
const { startSandbox } = await import(pathToFileURL(join(dist, 'sandbox', 'index.js')).href);
const { openStore } = await import(pathToFileURL(join(dist, 'store', 'index.js')).href);
const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 20;

// ---------------------------------------------------------------- receiver
const requests = [];
let mode = 'ok';
let delayMs = 0;
const held = [];
let onRequest = () => {};
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let runId = '';
    try { runId = JSON.parse(Buffer.concat(chunks).toString('utf8')).runId; } catch { /* not ours */ }
    requests.push({ key: req.headers['idempotency-key'], runId });
    onRequest();
    if (mode === 'hang') held.push(res);
    else setTimeout(() => res.end('ok'), delayMs);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${server.address().port}/hook`;
const release = () => { for (const r of held.splice(0)) r.end('ok'); };

// ---------------------------------------------------------------- sandbox, scenario, CLI
const sandbox = await startSandbox({ port: 0 });
const user = await sandbox.createUser({ firstName: 'Bench' });
const dir = mkdtempSync(join(tmpdir(), 'tg-canary-once-bench-'));
mkdirSync(join(dir, 'sc'));
writeFileSync(join(dir, 'sc', 'convert.yaml'), `
name: convert
suite: favor
targets: [canary]
timeout: 15s
steps:
  - send: "Convert 10 km to miles"
  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "6.21", critical: true } ] }
`);
// the canary answers after 600 ms, so a second run is still waiting for the lease while the first delivers
await sandbox.setBot('canary_bot', {
  async onMessage(msg, chat) { await chat.sleep(600); return chat.reply('10 km = 6.21 miles', { replyTo: msg.id }); },
});
let dbCount = 0;
const baseEnv = () => ({
  PATH: process.env.PATH, HOME: process.env.HOME, ...sandbox.env(user), SCENARIOS_DIR: join(dir, 'sc'),
  REPORTS_DIR: join(dir, 'reports'), MESSAGE_PACING_MS: '0', LOG_LEVEL: 'error', WEBHOOK_URL: hookUrl,
  TG_CANARY_DB: join(dir, `db${++dbCount}`, 'tg-canary.db'),
});
function cli(env) {
  const child = spawn(process.execPath, [CLI, 'run', '--json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.on('close', (code) => r({ code, stderr })));
  return { child, exited };
}
const runIdsIn = (db) => {
  const s = openStore(db, { readonly: true });
  try { return s.listRuns({ last: 100 }).map((r) => r.runId); } finally { s.close(); }
};

function count(from, ids) {
  const got = requests.slice(from);
  const byKey = new Map();
  for (const r of got) byKey.set(r.key, (byKey.get(r.key) ?? 0) + 1);
  const arrived = new Set(got.map((r) => r.runId));
  return {
    requests: got.length,
    keys: byKey.size,
    repeatedKeys: [...byKey.values()].filter((n) => n > 1).length,
    missingKey: got.filter((r) => !r.key).length,
    lost: ids.filter((id) => !arrived.has(id)).length,
    // two keys for one run would defeat a receiver that deduplicates by key
    runsUnderTwoKeys: [...new Set(got.map((r) => r.runId))].filter((id) => new Set(got.filter((r) => r.runId === id).map((r) => r.key)).size > 1).length,
  };
}
const add = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, (a[k] ?? 0) + b[k]]));

// ---------------------------------------------------------------- (a) concurrent runs
let concurrent = {};
for (let i = 0; i < N; i++) {
  mode = 'ok';
  delayMs = 1500;
  const env = baseEnv();
  const from = requests.length;
  const [a, b] = [cli(env), cli(env)];
  const ends = await Promise.all([a.exited, b.exited]);
  for (const e of ends) if (e.code !== 0) console.error(`concurrent #${i}: exit ${e.code}: ${e.stderr.trim().slice(0, 300)}`);
  concurrent = add(concurrent, count(from, runIdsIn(env.TG_CANARY_DB)));
}
delayMs = 0;

// ---------------------------------------------------------------- (b) kill -9 mid-delivery
let killed = {};
let killedMidDelivery = 0;
for (let i = 0; i < N; i++) {
  const env = baseEnv();
  const from = requests.length;
  mode = 'hang';
  const live = cli(env);
  await new Promise((r) => { onRequest = r; });
  onRequest = () => {};
  live.child.kill('SIGKILL');
  await live.exited;
  killedMidDelivery += 1;
  release();
  mode = 'ok';
  const next = await cli(env).exited;
  if (next.code !== 0) console.error(`kill #${i}: next run exit ${next.code}: ${next.stderr.trim().slice(0, 300)}`);
  killed = add(killed, count(from, runIdsIn(env.TG_CANARY_DB)));
}

console.log(`concurrent runs x${N} (2 runs each, receiver answers after 1.5 s):`);
console.log(`  requests ${concurrent.requests}, distinct keys ${concurrent.keys}, duplicate keys ${concurrent.repeatedKeys}, without key ${concurrent.missingKey}, lost ${concurrent.lost}, runs under two keys ${concurrent.runsUnderTwoKeys}`);
console.log(`kill -9 mid-delivery x${N} (the receiver holds the request, the process is killed, then the next run):`);
console.log(`  requests ${killed.requests}, distinct keys ${killed.keys}, keys resent after the kill ${killed.repeatedKeys} (of ${killedMidDelivery} kills; same key each time), without key ${killed.missingKey}, lost ${killed.lost}, runs under two keys ${killed.runsUnderTwoKeys}`);
const ok = concurrent.repeatedKeys === 0 && concurrent.lost === 0 && concurrent.missingKey === 0 && concurrent.runsUnderTwoKeys === 0
  && killed.lost === 0 && killed.missingKey === 0 && killed.runsUnderTwoKeys === 0 && killed.repeatedKeys <= killedMidDelivery;
console.log(`BENCH delivery-duplicate-keys-concurrent ${concurrent.repeatedKeys} count target == 0 ${concurrent.repeatedKeys === 0 ? 'met' : 'missed'}`);
console.log(`BENCH delivery-runs-under-two-keys ${concurrent.runsUnderTwoKeys + killed.runsUnderTwoKeys} count target == 0 ${concurrent.runsUnderTwoKeys + killed.runsUnderTwoKeys === 0 ? 'met' : 'missed'}`);

await sandbox.stop();
server.closeAllConnections();
server.close();
rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
