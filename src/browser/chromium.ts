/**
 * The one place that launches Chromium, for `web:` steps and PDF reports (playwright-core driving Debian's
 * chromium; we never download a browser).
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { TgCanaryError } from '../core/errors.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(executablePath: string, opts: { timeoutMs?: number } = {}): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new TgCanaryError('CHROMIUM_MISSING', `Chromium was not found at ${executablePath}`, {
      kind: 'infra',
      hint: "web: steps and PDF reports need Chromium: install Debian's `chromium`, set CHROMIUM_PATH, or build the image with --build-arg WITH_CHROMIUM=1.",
    });
  }
  // Imported on first use: playwright-core takes ~0.6 s to load, and most runs have no web: step (cold start).
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: opts.timeoutMs });
}
