import type { Browser } from 'playwright-core';
import { launchChromium } from '../../src/browser/chromium.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Debian's Chromium with the product's own launch flags. */
export function launchBrowser(): Promise<Browser> {
  return launchChromium(CHROMIUM_PATH, { timeoutMs: 20_000 });
}
