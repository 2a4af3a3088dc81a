/** The history sections of the status page in headless Chromium: bars, per-suite rows on click, hover text, inert. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatusPage } from '../../src/status/status-page.js';
import type { DayCounts } from '../../src/store/index.js';
import { launchBrowser } from '../reporters/browser.js';
import { XSS_IMG } from '../reporters/fixtures.js';
import { statusData } from './serve-fixtures.js';

const DAY = 86_400_000;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function days(now: number, f: (i: number) => Omit<DayCounts, 'day'>): DayCounts[] {
  const first = Math.floor(now / DAY) * DAY - 89 * DAY;
  return Array.from({ length: 90 }, (_, i) => ({ day: first + i * DAY, ...f(i) }));
}

describe('history on the status page in Chromium', () => {
  it('shows 90 bars per target, per-suite rows behind a click, hover texts, and runs nothing', async () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const d = statusData(now);
    const canaryDays = days(now, (i) => (i === 80 ? { pass: 10, fail: 2, inconclusive: 1 } : i > 60 ? { pass: 12, fail: 0, inconclusive: 0 } : { pass: 0, fail: 0, inconclusive: 0 }));
    const suiteDays = days(now, (i) => (i === 80 ? { pass: 1, fail: 2, inconclusive: 0 } : { pass: 0, fail: 0, inconclusive: 0 }));
    d.historyView = {
      days: 90,
      targets: [{
        target: 'canary', days: canaryDays, uptime: { passes: 346, judged: 348, inconclusive: 1, uptime: 346 / 348 },
        suites: [{ suite: XSS_IMG, days: suiteDays, uptime: { passes: 1, judged: 3, inconclusive: 0, uptime: 1 / 3 } }],
        latency: canaryDays.map((x, i) => ({ day: x.day, p50: i > 60 ? 400 + i : null, p95: i > 60 ? 900 + i : null })),
      }],
      incidents: [{ target: 'canary', startedAt: now - 9 * DAY, endedAt: now - 9 * DAY + 7_200_000, durationMs: 7_200_000, failingRuns: 2,
        firstRunId: 'run-a', lastRunId: 'run-b', runIds: ['run-a', 'run-b'], reasons: [`favor/convert: ${XSS_IMG}`] }],
      maintenance: [{ kind: 'window', id: 'weekly', mode: 'pause', matchers: 'everything', from: now + DAY, until: now + DAY + 7_200_000, reason: 'maintenance window weekly', state: 'upcoming' }],
    };
    const page = await browser.newPage();
    await page.setContent(renderStatusPage(d));
    expect(await page.locator('script, img, iframe').count()).toBe(0);
    const card = page.locator('[data-history-target="canary"]');
    expect(await card.locator('svg.bars').first().locator('rect').count()).toBe(90);
    expect(await card.locator('.up').innerText()).toBe('99.43%');
    expect(await card.locator('svg.bars').first().locator('rect').nth(80).locator('title').textContent()).toMatch(/10 pass · 2 fail · 1 inconclusive\n<img src=x onerror=.*: 1 pass · 2 fail/);
    // per suite: hidden until clicked
    const row = card.locator('.suite-row');
    expect(await row.isVisible()).toBe(false);
    await card.locator('details.suites-hist summary').click();
    expect(await row.isVisible()).toBe(true);
    expect(await row.innerText()).toContain(XSS_IMG);
    expect(await row.locator('.num').innerText()).toBe('33.33%');
    // latency sparkline and incident links
    expect(await card.locator('svg.lat path').count()).toBe(2);
    expect(await page.locator('#incidents a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['/reports/run-a/report.html', '/reports/run-b/report.html']);
    expect(await page.locator('#incidents').innerText()).toContain(XSS_IMG);
    expect(await page.locator('#maintenance tr[data-maintenance="weekly"]').innerText()).toMatch(/upcoming\s+window\s+weekly\s+pause/);
    await page.close();
  });
});
