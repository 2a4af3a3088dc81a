/**
 * A newcomer's `tg-canary demo --serve --port P` with a canary bot module that answers jokes with hostile HTML:
 * the status page, in real headless Chromium, shows the latest results per suite and target, shows the bot's
 * `<script>` / `<img onerror>` as text and runs nothing. Then the README screenshot script runs against it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../reporters/browser.js';
import { argoPoll, startServe, type ServeProcess } from './helpers.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const ROOT = resolve(__dirname, '../..');
const HOSTILE = 'Knock knock <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> & <b>bold</b>';

let dir: string;
let serve: ServeProcess;
let browser: Browser;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-canary-demo-page-'));
  const bot = join(dir, 'hostile-bot.mjs');
  writeFileSync(bot, `export default (base) => ({
  async onMessage(msg, chat) {
    if (/joke/i.test(msg.text)) return chat.reply(${JSON.stringify(HOSTILE)});
    return base.onMessage(msg, chat);
  },
});
`);
  port = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', CHROMIUM_PATH: '/usr/bin/chromium' };
  [serve, browser] = await Promise.all([
    startServe(['demo', '--serve', '--port', String(port), '--canary-bot', bot, '--reports-dir', join(dir, 'reports'), '--db', join(dir, 'demo.db')], env, { cwd: dir, maxMs: 220_000 }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tg-canary demo --serve: the status page in Chromium', () => {
  it('renders the latest results per suite and target; hostile bot replies are text and run nothing', async () => {
    expect(serve.port).toBe(port);
    // the demo runs once at start: wait for its verdict
    const v = await waitFor(async () => {
      const r = await argoPoll(`${serve.url}/v1/verdict?target=canary`);
      return r.verdict === 'pass' || r.verdict === 'fail' || r.verdict === 'inconclusive' ? r : undefined;
    }, 'the demo run', 170_000, 500); // the hostile joke fails: each failing answer waits out its 20 s deadline
    expect(v.status).toBe(200);
    // the newcomer's other endpoints work too
    // the run's gauges are set when the daemon has finished the run (after the verdict is stored): a scrape moments
    // later has them
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${serve.url}/metrics`)).text();
      return /^tg_canary_run_success\{/m.test(text) ? text : undefined;
    }, 'the run gauges in /metrics', 10_000, 200);
    expect(metrics).toMatch(/^tg_canary_run_success\{[^}]*target="canary"[^}]*\} [01]$/m);
    expect(metrics).toMatch(/^tg_canary_scenario_success\{[^}]*scenario="joke-fresh"/m);
    const targets = v.body.targets as Record<'canary' | 'stable', { suites: Record<string, { status: string }> }>;

    const ctx = await browser.newContext({ javaScriptEnabled: true });
    const page = await ctx.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const failedRequests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(serve.url)) failedRequests.push(r.url());
    });
    const res = await page.goto(`${serve.url}/`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.waitForTimeout(300); // give any injected handler the chance to fire

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(failedRequests).toEqual([]); // `src=x` never became a request
    const body = await page.locator('body').innerText();
    expect(body).toContain('<script>window.__pwned = 1</script>');
    expect(body).toContain('<img src=x onerror="window.__pwned = 2">');

    // the latest result per suite and target
    for (const suite of ['favor', 'joke', 'memory', 'rag']) {
      const row = page.locator(`table.suites tr[data-suite="${suite}"]`);
      expect(await row.count()).toBe(1);
      for (const t of ['canary', 'stable'] as const) {
        expect(await row.locator(`td[data-target="${t}"] .badge`).innerText(), `${suite} ${t}`).toBe(targets[t].suites[suite]?.status);
      }
    }
    // the healthy built-in stable bot passes everything; the canary only differs by its joke text
    expect(Object.values(targets.stable.suites).every((s) => s.status === 'pass')).toBe(true);
    // the wrapper defines only onMessage: the built-in bot's inline buttons (favor-booking) keep working
    expect(targets.canary.suites.favor?.status).toBe('pass');
    expect((await page.locator('#overall .big').textContent())?.trim()).toBe(String(v.verdict));
    expect(await page.locator('table:not(.incidents) tr', { hasText: 'joke-fresh' }).filter({ hasText: 'canary' }).innerText()).toContain('<b>bold</b>');
    expect(await page.locator('[data-target-card="canary"]').count()).toBe(1);
    expect(await page.locator('[data-target-card="stable"]').count()).toBe(1);

    // the report the page links to renders too, hostile text inert
    const report = await ctx.newPage();
    const rr = await report.goto(`${serve.url}/reports/latest.html`, { waitUntil: 'load' });
    expect(rr?.status()).toBe(200);
    expect(await report.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await report.locator('body').textContent()).toContain('<img src=x onerror="window.__pwned = 2">');
    expect(await report.locator('img').count()).toBe(0);
    await ctx.close();
  }, 200_000);

  it('scripts/screenshots.mjs captures the status page and the report', async () => {
    const out = process.env.TG_CANARY_SCREENSHOTS_OUT ? resolve(process.env.TG_CANARY_SCREENSHOTS_OUT) : join(dir, 'shots');
    const report = join(dir, 'reports', 'latest.html');
    expect(existsSync(report)).toBe(true);
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'screenshots.mjs'), `${serve.url}/`, report, out], { stdio: 'ignore' });
      const t = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        done(c);
      });
    });
    expect(code).toBe(0);
    for (const f of ['status-page.png', 'report.png']) {
      const png = readFileSync(join(out, f));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
    }
  }, 60_000);
});
