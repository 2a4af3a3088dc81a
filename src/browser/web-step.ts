/** Runs a scenario's `web:` step: open a URL, check a text or a selector, save a screenshot. */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import type { Step } from '../core/types.js';
import { launchChromium } from './chromium.js';

type WebStep = Extract<Step, { kind: 'web' }>;

export interface WebRunner {
  run(step: WebStep, ctx: { scenario: string; target: string; index: number; signal: AbortSignal }): Promise<{ pass: boolean; detail: string; reason?: string }>;
  close(): Promise<void>;
}

export function createWebRunner(opts: { chromiumPath: string; screenshotDir: string }): WebRunner {
  let browser: Promise<Browser> | undefined;
  return {
    async run(step, ctx) {
      browser ??= launchChromium(opts.chromiumPath);
      const b = await browser;
      const page = await b.newPage();
      try {
        const problems: string[] = [];
        const resp = await page.goto(step.url, { timeout: step.timeoutMs, waitUntil: 'load' }).catch((e: unknown) => {
          problems.push(`could not load ${step.url}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
          return null;
        });
        if (resp && resp.status() >= 400) problems.push(`HTTP ${resp.status()}`);
        const loaded = problems.length === 0 || resp !== null; // a page that never loaded has nothing to check
        if (loaded && step.selector) {
          const ok = await page.waitForSelector(step.selector, { timeout: step.timeoutMs }).then(() => true, () => false);
          if (!ok) problems.push(`selector ${step.selector} not found`);
        }
        if (loaded && step.text) {
          const body = await page.innerText('body', { timeout: step.timeoutMs }).catch(() => '');
          if (!body.includes(step.text)) problems.push(`text "${step.text}" not on the page`);
        }
        let shot = '';
        if (step.screenshot) {
          await mkdir(opts.screenshotDir, { recursive: true, mode: 0o700 });
          shot = join(opts.screenshotDir, `${ctx.scenario}-${ctx.target}-${ctx.index}.png`.replace(/[^\w.-]/g, '_'));
          await page.screenshot({ path: shot, fullPage: true });
        }
        const detail = `${step.url}${shot ? ` (screenshot ${shot})` : ''}`;
        return problems.length ? { pass: false, detail, reason: problems.join('; ') } : { pass: true, detail };
      } finally {
        await page.close().catch(() => undefined);
      }
    },
    async close() {
      if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
    },
  };
}
