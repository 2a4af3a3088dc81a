import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServeApp, type ServeApp } from '../../src/status/http-server.js';
import { renderStatusPage } from '../../src/status/status-page.js';
import { launchBrowser } from '../reporters/browser.js';
import { XSS_IMG, XSS_SCRIPT } from '../reporters/fixtures.js';
import { makeDeps, newWorld, statusData } from './serve-fixtures.js';

let browser: Browser;
let app: ServeApp;
let base: string;
beforeAll(async () => {
  browser = await launchBrowser();
  app = createServeApp(makeDeps(newWorld()));
  base = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('status page in headless Chromium', () => {
  it('renders the latest results and shows hostile bot text inertly', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, img, iframe').count()).toBe(0);
    expect(await page.locator('#overall .big').innerText()).toMatch(/fail/i);
    const body = await page.locator('body').innerText();
    expect(body).toContain(XSS_SCRIPT);
    expect(body).toContain(XSS_IMG);
    expect(body).toContain('3h 2m'); // uptime
    expect(await page.locator('#alerts').innerText()).toContain(`canary failing: ${XSS_IMG}`);
    // last result per suite and target
    const jokes = page.locator('table.suites tr[data-suite="jokes"]');
    expect(await jokes.locator('td[data-target="canary"] .badge').innerText()).toBe('fail');
    expect(await jokes.locator('td[data-target="stable"] .badge').innerText()).toBe('pass');
    // trend sparkline with one dot per run, notifier health
    expect(await page.locator('svg.spark circle').count()).toBe(20);
    expect(await page.locator('table.channels .health-bad').count()).toBe(1);
    expect(await page.locator('table.channels .health-ok').count()).toBe(1);
    // links and self refresh
    expect(await page.locator('a[href="/reports/latest.html"]').count()).toBe(1);
    expect(await page.locator('a[href="/metrics"]').count()).toBe(1);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('30');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders an empty first-start state and refuses unsafe link schemes', async () => {
    const d = statusData();
    const html = renderStatusPage({
      ...d,
      overall: 'pending',
      lastRun: undefined,
      history: [],
      alerts: [],
      channels: [],
      suites: [],
      scenarios: [],
      links: { report: 'javascript:window.__pwned=1' },
    });
    const page = await browser.newPage();
    await page.setContent(html);
    expect(await page.locator('#no-alerts').count()).toBe(1);
    expect(await page.locator('body').innerText()).toContain('No run yet');
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    await page.close();
  });
});

describe('toStatusPageData', () => {
  it('maps a stored run to the page: suites per target, scenarios with their last reply', async () => {
    const { toStatusPageData } = await import('../../src/status/page-data.js');
    const { makeRun, makeHistory, HOSTILE } = await import('../reporters/fixtures.js');
    const run = makeRun();
    const d = toStatusPageData({ version: '1.0.0', now: run.finishedAt + 1000, startedAt: run.startedAt - 1000, run, history: makeHistory(5), lastSuccessAt: { canary: null, stable: run.startedAt }, running: false });
    expect(d.overall).toBe('fail');
    expect(d.decision).toBe('rollback');
    expect(d.suites.map((s) => s.suite)).toEqual(['jokes', 'memories']);
    expect(d.suites[0]?.cells).toEqual({ canary: { status: 'fail', score: 0.25 }, stable: { status: 'pass', score: 1 } });
    expect(d.scenarios.find((s) => s.target === 'canary' && s.name === 'tell-a-joke')?.lastReply).toBe(HOSTILE);
    expect(d.targets.map((t) => [t.target, t.lastSuccessAt])).toEqual([['canary', null], ['stable', run.startedAt]]);
    const empty = toStatusPageData({ version: '1', now: 1, startedAt: 0, history: [], lastSuccessAt: {}, running: true });
    expect(empty.overall).toBe('pending');
    expect(renderStatusPage(empty)).toContain('No run yet');
  });
});
