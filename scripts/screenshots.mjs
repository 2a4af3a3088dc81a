#!/usr/bin/env node
// Takes the README screenshots: the status page of a running `tg-canary demo --serve`, and an HTML report.
// Usage: node scripts/screenshots.mjs [STATUS_URL] [REPORT_HTML] [OUT_DIR]
//   defaults: http://127.0.0.1:8080/  reports/latest.html  docs
// Env: CHROMIUM_PATH (default /usr/bin/chromium), TG_CANARY_TOKEN (bearer token when reads are private).
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [statusUrl = 'http://127.0.0.1:8080/', reportPath = 'reports/latest.html', outDir = 'docs'] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function main() {
  await stat(executablePath).catch(() => {
    throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium or set CHROMIUM_PATH`);
  });
  await stat(reportPath).catch(() => {
    throw new Error(`report not found at ${reportPath}: run \`tg-canary run\` or \`tg-canary report\` first`);
  });
  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath, args, timeout: 30_000 });
  try {
    const headers = process.env.TG_CANARY_TOKEN ? { Authorization: `Bearer ${process.env.TG_CANARY_TOKEN}` } : undefined;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, extraHTTPHeaders: headers });
    const page = await context.newPage();
    const res = await page.goto(statusUrl, { waitUntil: 'load', timeout: 30_000 });
    if (!res || res.status() !== 200) throw new Error(`status page answered ${res ? res.status() : 'nothing'} at ${statusUrl}`);
    const statusPng = path.join(outDir, 'status-page.png');
    await page.screenshot({ path: statusPng, fullPage: true });
    const reportPage = await context.newPage();
    await reportPage.goto(pathToFileURL(path.resolve(reportPath)).href, { waitUntil: 'load' });
    const reportPng = path.join(outDir, 'report.png');
    await reportPage.screenshot({ path: reportPng, fullPage: false });
    console.log(`wrote ${statusPng} and ${reportPng}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`screenshots failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
