import path from 'node:path';
import type { ReportContext, Reporter } from '../core/ports.js';
import { ensurePrivateDir, writePrivateFile } from './fs-write.js';
import { renderReportHtml } from './html-render.js';

export const HTML_FILE = 'report.html';

export function createHtmlReporter(): Reporter {
  return {
    name: 'html',
    async write(ctx: ReportContext): Promise<string[]> {
      await ensurePrivateDir(ctx.dir);
      const file = path.join(ctx.dir, HTML_FILE);
      await writePrivateFile(file, renderReportHtml(ctx));
      return [file];
    },
  };
}
