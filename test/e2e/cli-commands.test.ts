/**
 * The CLI as a user drives it: `sandbox` in its own process feeding `run` through its env file, `login` with its
 * prompts answered, `list` / `validate` / `schema` / `history` / `report` / `alerts`, `demo` with its flags, and a
 * `web:` step in real Chromium.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createWorld, runCli, type World } from './harness.js';

const ROOT = join(__dirname, '../..');

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('tg-canary sandbox', () => {
  it('via `npx tg-canary sandbox --env-out F` on Node 20: prints the env `run` reads, writes F 0600, runs until SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-canary-sbx-'));
    const envFile = join(dir, 'sandbox.env');
    const bot = join(dir, 'echo-bot.mjs');
    writeFileSync(bot, 'export default { async onMessage(msg, chat) { await chat.reply(`echo: ${msg.text}`); } };\n');
    // exactly as the README says, through npx (itself a Node script: Node 20 would claim a flag named --env-file)
    const child = spawn('npx', ['tg-canary', 'sandbox', '--port', '0', '--env-out', envFile, '--bot', `echo_bot=${bot}`], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, LOG_LEVEL: 'info' },
    });
    // npx does not pass SIGTERM on to the CLI it started: signal the process group this test created
    const signalGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch { /* already gone */ }
    };
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`sandbox printed no TG_DC line: ${out} ${err}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/^TG_DC=.*\n/m.test(out)) {
            clearTimeout(t);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`npx exited ${String(code)} before the sandbox was ready: ${err}`)));
      });
      expect(out).toMatch(/^TG_SESSION=1\S+$/m);
      expect(out).toMatch(/^CANARY_BOT=canary_bot$/m);
      expect(out).toMatch(/^TG_DC=127\.0\.0\.1:\d+$/m);
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      const env = parseEnvFile(readFileSync(envFile, 'utf8'));
      expect(env).toEqual(parseEnvFile(out));
      // `set -a; . ./sandbox.env; set +a; tg-canary run` works as it is
      const scen = join(dir, 'scenarios');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(scen);
      writeFileSync(join(scen, 'echo.yaml'), `name: echo\nsuite: favor\ntargets: [canary]\nsteps:\n  - send: "hello {{nonce}}"\n  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: starts-with, value: "echo: hello" } ] }\n`);
      const r = await runCli(['run', '--json'], {
        PATH: process.env.PATH, ...env, CANARY_BOT: 'echo_bot', STABLE_BOT: '',
        SCENARIOS_DIR: scen, TG_CANARY_DB: join(dir, 'db.sqlite'), REPORTS_DIR: join(dir, 'reports'),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json?.verdict).toBe('pass');
      // LOG_LEVEL=info reaches the sandbox's own logger (pino JSON lines on stderr)
      expect(err).toMatch(/"level":30,.*"app":"tg-canary"/);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))));
      signalGroup('SIGTERM');
      expect(await exited).not.toBeNull();
    } finally {
      signalGroup('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('the bare --env-file is not ours: Node 20 claims it (why the flag is --env-out)', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, 'sandbox', '--env-file', join(tmpdir(), 'tg-canary-no-such.env')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      c.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not found|env-file/);
  });

  it('rejects a LOG_LEVEL that is not a level, naming the variable and the fix', async () => {
    const r = await runCli(['sandbox', '--port', '0'], { PATH: process.env.PATH, LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LOG_LEVEL: "loud" is not a log level/);
    expect(r.stderr).toMatch(/fatal, error, warn, info, debug, trace, silent/);
  });
});

describe('tg-canary login', () => {
  it('asks for phone, code and the 2FA password, rejects a wrong password, stores a 0600 session that works', async () => {
    await w.sandbox.createUser({ firstName: 'Login', phone: '+999 77 123 4567', password: 'correct horse', passwordHint: 'horse' });
    const out = join(w.dir, 'login', 'tg.session');
    const child = spawn(process.execPath, [CLI, 'login', '--out', out], {
      env: { PATH: process.env.PATH, TG_API_ID: String(w.sandbox.apiId), TG_API_HASH: w.sandbox.apiHash, TG_DC: `${w.sandbox.host}:${w.sandbox.port}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    const answered = new Set<string>();
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!answered.has('phone') && /Phone number/.test(err)) {
        answered.add('phone');
        child.stdin.write('+999 77 123 4567\n');
      }
      if (!answered.has('code') && /Code Telegram sent you/.test(err)) {
        answered.add('code');
        child.stdin.write(`${w.sandbox.lastLoginCode('999771234567') ?? ''}\n`);
      }
      if (!answered.has('pw1') && /password \(hint: horse\)/.test(err)) {
        answered.add('pw1');
        child.stdin.write('wrong password\n');
      }
      if (answered.has('pw1') && !answered.has('pw2') && /Wrong password/.test(err)) {
        answered.add('pw2');
        child.stdin.write('correct horse\n');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, err).toBe(0);
    expect(err).toMatch(/Wrong password/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const session = readFileSync(out, 'utf8').trim();
    expect(err).not.toContain(session);
    // the stored session logs in on its own
    w.writeScenario('convert', `name: convert\nsuite: favor\ntargets: [canary]\nsteps:\n  - send: "Convert 5 kg to lb"\n  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "11.02" } ] }\n`);
    const r = await w.cli(['run', '--json'], { TG_SESSION: '', TG_SESSION_FILE: out });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('scenario and history commands', () => {
  it('list, validate, schema, history, report and alerts', async () => {
    w.freshDb();
    w.writeScenario('convert', `name: convert\nsuite: favor\nsteps:\n  - send: "Convert 10 km to miles"\n  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "6.21" } ] }\n`);
    const list = await w.cli(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/favor\s+convert/);
    expect(list.stdout).toContain('1 scenario');

    const ok = await w.cli(['validate']);
    expect(ok.code).toBe(0);
    writeFileSync(join(w.scenarios, 'bad.yaml'), 'name: bad\nsuite: favor\nsteps:\n  - sned: "typo"\n');
    const bad = await w.cli(['validate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:4: steps\[0\]/);
    rmSync(join(w.scenarios, 'bad.yaml'));

    const schema = await w.cli(['schema']);
    expect(schema.code).toBe(0);
    expect((JSON.parse(schema.stdout) as { properties: Record<string, unknown> }).properties).toHaveProperty('steps');

    for (let i = 0; i < 2; i += 1) expect((await w.cli(['run'], { NO_COLOR: '1' })).code).toBe(0);
    const hist = await w.cli(['history', '--json']);
    expect(hist.code, hist.stderr).toBe(0);
    const h = JSON.parse(hist.stdout) as { runs: { verdict: string }[]; scenarios: { scenario: string; target: string; passRate: number; p50: number }[] };
    expect(h.runs).toHaveLength(2);
    expect(h.scenarios.find((s) => s.target === 'canary')?.passRate).toBe(1);
    const histText = await w.cli(['history']);
    expect(histText.stdout).toMatch(/canary\s+favor\s+convert\s+2\s+100%/);

    const md = await w.cli(['report']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/convert/);
    const json = await w.cli(['report', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ schema: 1, verdict: 'pass' });

    const alerts = await w.cli(['alerts']);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(alerts.stdout).toMatch(/0 deliveries/);
  }, 120_000);

  it('prints plain progress lines without a TTY or with NO_COLOR, and a summary table', async () => {
    w.writeScenario('convert', `name: convert\nsuite: favor\nsteps:\n  - send: "Convert 10 km to miles"\n  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "6.21" } ] }\n`);
    const r = await w.cli(['run'], { NO_COLOR: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.includes("\u001b[")).toBe(false);
    expect(r.stdout).toMatch(/PASS\s+canary\s+favor\s+convert/);
    expect(r.stdout).toMatch(/PASS\s+stable\s+favor\s+convert/);
    expect(r.stdout).toMatch(/verdict: PASS {2}decision: promote/);
    expect(r.stdout).toMatch(/report: .*report\.html/);
  });

  it('a configuration problem exits 2 with every problem and its fix, no secret printed', async () => {
    const r = await w.cli(['run'], { TG_API_ID: 'abc', CANARY_BOT: '', TG_API_HASH: 'SECRETMARKER0123456789abcdef0123' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TG_API_ID/);
    expect(r.stderr).toMatch(/CANARY_BOT/);
    expect(r.stderr).not.toContain('SECRETMARKER');
  });
});

describe('web steps', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/html' });
      res.end('<html><body><h1 id="status">Mini App ready</h1></body></html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('opens the page in Chromium, checks text and selector, saves a screenshot; a missing page fails', async () => {
    w.writeScenario('web', `name: mini-app\nsuite: web\ntargets: [canary]\nsteps:\n  - web: { url: "${url}/", text: "Mini App ready", selector: "#status", screenshot: true }\n`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr + JSON.stringify(r.json)).toBe(0);
    const runId = String(r.json?.runId);
    const shots = join(String(w.env.REPORTS_DIR), runId);
    expect(existsSync(shots)).toBe(true);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(shots).some((f) => f.endsWith('.png'))).toBe(true);

    w.writeScenario('web', `name: mini-app\nsuite: web\ntargets: [canary]\nsteps:\n  - web: { url: "${url}/missing", text: "Mini App ready" }\n`);
    const bad = await w.cli(['run', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.stringify(bad.json)).toMatch(/HTTP 404/);
  });
});

describe('tg-canary demo', () => {
  it('runs every shipped scenario on both demo bots: all pass, exit 0', async () => {
    const reports = join(w.dir, 'demo-reports');
    const started = Date.now();
    const r = await runCli(['demo', '--json', '--reports-dir', reports], { PATH: process.env.PATH, HOME: process.env.HOME }, { timeoutMs: 200_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.verdict).toBe('pass');
    const names = new Set(r.json?.scenarios.map((s) => s.name));
    expect(names.size).toBeGreaterThanOrEqual(8);
    // every shipped suite ran, the ones beyond text included (media, keyboards/commands/inline, groups)
    expect(new Set(r.json?.scenarios.map((s) => s.suite))).toStrictEqual(new Set(['favor', 'groups', 'joke', 'media', 'memory', 'rag', 'ui']));
    expect(r.json?.scenarios.every((s) => s.status === 'pass')).toBe(true);
    expect(existsSync(join(reports, 'latest.html'))).toBe(true);
    // ~30 scenarios, each a real conversation in one chat per bot (one chat never runs two at once): ~95 s here
    expect(Date.now() - started).toBeLessThan(180_000);
  }, 210_000);

  it('with --db, history and the demo bots\' memory carry over: the cross-run memory scenario passes again', async () => {
    const db = join(w.dir, 'demo-memory', 'demo.db');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const args = ['demo', '--json', '--suite', 'memory', '--db', db, '--reports-dir', join(w.dir, 'demo-memory', 'r')];
    const first = await runCli(args, env);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(args, env);
    expect(second.code, `${second.stderr}${JSON.stringify(second.json)}`).toBe(0);
    const cross = second.json?.scenarios.filter((s) => s.name === 'memory-cross-run') ?? [];
    expect(cross.map((s) => s.status)).toEqual(['pass', 'pass']);
    expect(statSync(`${db}.sandbox-state.json`).mode & 0o777).toBe(0o600);
  });

  it('swaps in a bot module, injects faults, uses other scenarios and keeps history with --db', async () => {
    const dir = join(w.dir, 'demo-flags');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'scen'), { recursive: true });
    // repeat: 5 — one wrong answer against one right one would be insufficient evidence
    writeFileSync(join(dir, 'scen', 'one.yaml'), `name: one\nsuite: favor\nrepeat: 5\nsteps:\n  - send: "Convert 10 km to miles"\n  - expect: { timeout: 2s, settle: 200ms, assert: [ { type: contains, value: "6.21" } ] }\n`);
    writeFileSync(join(dir, 'wrong.mjs'), 'export default { async onMessage(m, chat) { await chat.reply("10 km = 7 miles"); } };\n');
    writeFileSync(join(dir, 'faults.yaml'), 'faults:\n  - kind: rpc_error\n    method: messages.SendMessage\n    error: FLOOD_WAIT_300\n');
    const base = ['demo', '--json', '--scenarios', join(dir, 'scen'), '--db', join(dir, 'demo.db'), '--reports-dir', join(dir, 'r')];
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const wrong = await runCli([...base, '--canary-bot', join(dir, 'wrong.mjs')], env);
    expect(wrong.code, wrong.stderr).toBe(1);
    const flood = await runCli([...base, '--faults', join(dir, 'faults.yaml')], env);
    expect(flood.code, flood.stderr).toBe(3);
    const hist = await runCli(['history', '--json'], { ...env, TG_CANARY_DB: join(dir, 'demo.db') });
    expect((JSON.parse(hist.stdout) as { runs: unknown[] }).runs).toHaveLength(2);
  });

  it('honours TG_CANARY_DB and the push variables from the environment; the sandbox keeps its own login and bots', async () => {
    const dir = join(w.dir, 'demo-env');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'scen'), { recursive: true });
    writeFileSync(join(dir, 'scen', 'one.yaml'), `name: one\nsuite: favor\nsteps:\n  - send: "Convert 10 km to miles"\n  - expect: { timeout: 2s, settle: 200ms, assert: [ { type: contains, value: "6.21" } ] }\n`);
    const hooks: { url: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => { hooks.push({ url: req.url ?? '', body }); res.end('ok'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const db = join(dir, 'from-env.db');
      const r = await runCli(['demo', '--json', '--scenarios', join(dir, 'scen'), '--reports-dir', join(dir, 'r')], {
        PATH: process.env.PATH, HOME: process.env.HOME,
        TG_CANARY_DB: db, WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
        // a real deployment's login and bots in the shell must not leak into the demo
        TG_SESSION: 'not-a-session', CANARY_BOT: 'my_real_bot', STABLE_BOT: 'my_real_stable_bot',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(db)).toBe(true);
      expect(existsSync(`${db}.sandbox-state.json`)).toBe(true);
      expect(hooks.map((h) => h.url)).toEqual(['/hook']);
      const verdict = JSON.parse(hooks[0]?.body ?? '{}') as { verdict: string; runId: string };
      expect(verdict).toMatchObject({ verdict: 'pass', runId: r.json?.runId });
      const hist = await runCli(['history', '--json'], { PATH: process.env.PATH, TG_CANARY_DB: db });
      expect((JSON.parse(hist.stdout) as { runs: unknown[] }).runs).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
