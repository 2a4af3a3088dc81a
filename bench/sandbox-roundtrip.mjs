#!/usr/bin/env node
/**
 * Send→reply roundtrip latency through the real gramjs client and the sandbox, in one process and across
 * processes (sandbox in a child process), plus the sandbox's RSS. Needs `npm run build` first (imports dist/).
 * Usage: node bench/sandbox-roundtrip.mjs [--n 1000]
 * Prints `BENCH <name> <value> <unit> [target … met|missed]` lines; always exits 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = fileURLToPath(import.meta.url);
const dist = process.env.TG_CANARY_DIST ? new URL(`file://${process.env.TG_CANARY_DIST.replace(/\/?$/, '/')}`) : new URL('../dist/', import.meta.url);
const argN = process.argv.indexOf('--n');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 1000;
const WARMUP = 50;

const instantBot = {
  async onMessage(msg, chat) {
    await chat.reply(`re: ${msg.text}`, { replyTo: msg.id });
  },
};

async function load() {
  const sandbox = await import('@tg-canary/sandbox') // the workspace package's build (packages/sandbox/dist);
  const factory = await import(new URL('telegram/client-factory.js', dist).href);
  const { NewMessage } = await import('teleproto/events/index.js');
  return { ...sandbox, ...factory, NewMessage };
}

async function child() {
  const { startSandbox } = await load();
  const sb = await startSandbox({ bots: { bench_bot: instantBot } });
  const u = await sb.createUser();
  process.stdout.write(JSON.stringify({ port: sb.port, host: sb.host, session: u.session, apiId: sb.apiId, apiHash: sb.apiHash }) + '\n');
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (l) => {
    if (l.trim() === 'rss') process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss }) + '\n');
  });
  rl.on('close', async () => {
    await sb.stop();
    process.exit(0);
  });
}

async function measure(lib, target, n) {
  const client = lib.createTelegramClient({ session: target.session, apiId: target.apiId, apiHash: target.apiHash, dc: { host: target.host, port: target.port } });
  await client.connect();
  const bot = await client.getEntity('bench_bot');
  let waiting;
  client.addEventHandler((e) => {
    if (waiting && e.message.replyTo?.replyToMsgId !== undefined) waiting(e.message);
  }, new lib.NewMessage({}));
  const times = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const t0 = process.hrtime.bigint();
    const got = new Promise((r) => (waiting = r));
    await client.sendMessage(bot, { message: `ping ${i}` });
    await got;
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= WARMUP) times.push(dt);
  }
  waiting = undefined;
  await client.destroy();
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  return { p50: q(50), p95: q(95), p99: q(99), n: times.length };
}

function print(name, value, unit, target) {
  const v = Math.round(value * 100) / 100;
  const t = target === undefined ? '' : ` target < ${target} ${value < target ? 'met' : 'missed'}`;
  console.log(`BENCH ${name} ${v} ${unit}${t}`);
}

async function main() {
  let lib;
  try {
    lib = await load();
  } catch (e) {
    console.log(`BENCH sandbox-roundtrip skipped: cannot import dist/ (${e.message}); run \`npm run build\` first`);
    return;
  }
  // in one process
  const sb = await lib.startSandbox({ bots: { bench_bot: instantBot } });
  const u = await sb.createUser();
  const inproc = await measure(lib, { host: sb.host, port: sb.port, session: u.session, apiId: sb.apiId, apiHash: sb.apiHash }, N);
  await sb.stop();
  print('sandbox-roundtrip-p50-inproc', inproc.p50, 'ms');
  print('sandbox-roundtrip-p95-inproc', inproc.p95, 'ms');
  print('sandbox-roundtrip-p99-inproc', inproc.p99, 'ms');

  // across processes
  const proc = spawn(process.execPath, [here, '--child'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout });
  const nextLine = () => new Promise((r) => lines.once('line', (l) => r(JSON.parse(l))));
  const target = await nextLine();
  const cross = await measure(lib, target, N);
  proc.stdin.write('rss\n');
  const { rss } = await nextLine();
  proc.stdin.end();
  await new Promise((r) => proc.once('exit', r));
  print('sandbox-roundtrip-p50-cross', cross.p50, 'ms', 2);
  print('sandbox-roundtrip-p95-cross', cross.p95, 'ms');
  print('sandbox-roundtrip-p99-cross', cross.p99, 'ms');
  print('sandbox-roundtrips', cross.n + inproc.n, 'count');
  print('sandbox-rss', rss / 1024 / 1024, 'MB');
}

if (process.argv.includes('--child')) {
  child().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main()
    .catch((e) => console.log(`BENCH sandbox-roundtrip error: ${e.message}`))
    .finally(() => process.exit(0));
}
