/** HTML → PDF in headless Chromium (playwright-core), for email attachments. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/chromium.js';
import { TgCanaryError } from '../core/errors.js';
import { ensurePrivateDir, writePrivateFile } from './fs-write.js';

export interface PdfOptions {
  chromiumPath: string;
  timeoutMs?: number;
}

async function assertExecutable(p: string): Promise<void> {
  try {
    await access(p, constants.X_OK);
  } catch (e) {
    throw new TgCanaryError('CHROMIUM_MISSING', `Chromium not found or not executable at ${p}`, {
      kind: 'config',
      cause: e,
      hint: 'install Debian\'s chromium (`apt-get install chromium`), build the image with `--build-arg WITH_CHROMIUM=1`, or set the Chromium path in the config',
    });
  }
}

/** Renders a local HTML file to an A4 PDF (backgrounds printed, JavaScript off, no network). */
export async function renderPdf(htmlFile: string, pdfFile: string, opts: PdfOptions): Promise<void> {
  await assertExecutable(opts.chromiumPath);
  await stat(htmlFile);
  const timeout = opts.timeoutMs ?? 30_000;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    browser = await launchChromium(opts.chromiumPath, { timeoutMs: timeout });
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.goto(pathToFileURL(path.resolve(htmlFile)).href, { waitUntil: 'load', timeout });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    await ensurePrivateDir(path.dirname(path.resolve(pdfFile)));
    await writePrivateFile(pdfFile, pdf);
  } catch (e) {
    if (e instanceof TgCanaryError) throw e;
    throw new TgCanaryError('PDF_RENDER_FAILED', `could not render ${path.basename(htmlFile)} to PDF: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, {
      kind: 'infra',
      cause: e,
      hint: 'check that Chromium starts in this environment (it needs --no-sandbox in most containers)',
    });
  } finally {
    await browser?.close().catch(() => undefined);
  }
}
