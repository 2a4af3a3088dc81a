import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf, writeReports } from '../../src/reporters/index.js';
import { launchBrowser } from './browser.js';
import { makeHistory, makeRun, XSS_IMG, XSS_SCRIPT } from './fixtures.js';

let root: string;
let browser: Browser;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tgc-rb-'));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

describe('HTML report in headless Chromium', () => {
  it('renders results side by side and shows hostile replies as inert text', async () => {
    const run = makeRun();
    const dir = path.join(root, run.runId);
    await writeReports({ run, history: makeHistory(), dir }, ['html']);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path.join(dir, 'report.html')).href);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    await expect.poll(() => page.locator('#verdict .big').innerText()).toMatch(/fail/i);
    const body = await page.locator('body').innerText();
    expect(body).toContain(XSS_SCRIPT);
    expect(body).toContain(XSS_IMG);
    expect(body).toContain('Decision: rollback');
    // canary and stable side by side for each scenario
    const pairs = page.locator('article.scenario');
    expect(await pairs.count()).toBe(2);
    const first = pairs.nth(0);
    expect(await first.locator('[data-target="canary"]').getAttribute('data-status')).toBe('fail');
    expect(await first.locator('[data-target="stable"]').getAttribute('data-status')).toBe('pass');
    const boxes = await Promise.all([first.locator('[data-target="canary"]').boundingBox(), first.locator('[data-target="stable"]').boundingBox()]);
    expect(boxes[0] && boxes[1] && boxes[1].x > boxes[0].x + 100).toBe(true);
    expect(Math.abs((boxes[0]?.y ?? 0) - (boxes[1]?.y ?? 1))).toBeLessThan(2);
    // latency bars: 2 scenarios x 2 targets x first/final, minus the stable error without latency (drawn as n/a)
    expect(await page.locator('svg.bars rect').count()).toBe(8);
    expect(await page.locator('svg.spark circle').count()).toBe(13);
    expect(body).toContain('edited 3×');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders a PDF of the report', async () => {
    const run = makeRun('run-pdf');
    const dir = path.join(root, run.runId);
    await writeReports({ run, history: [], dir }, ['html'], { latest: false });
    const pdf = path.join(root, 'out', 'report.pdf');
    await renderPdf(path.join(dir, 'report.html'), pdf, { chromiumPath: '/usr/bin/chromium' });
    const bytes = await readFile(pdf);
    expect(bytes.length).toBeGreaterThan(5000);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await stat(pdf)).mode & 0o777).toBe(0o600);
  });

  it('names the fix when Chromium is missing', async () => {
    await expect(renderPdf(path.join(root, 'x.html'), path.join(root, 'x.pdf'), { chromiumPath: path.join(root, 'no-chromium') })).rejects.toMatchObject({
      code: 'CHROMIUM_MISSING',
      hint: expect.stringContaining('WITH_CHROMIUM=1'),
    });
  });
});
