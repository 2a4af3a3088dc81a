import path from 'node:path';
import type { ReportContext, Reporter } from '../core/ports.js';
import { ensurePrivateDir, writePrivateFile } from './fs-write.js';

export const VERDICT_FILE = 'verdict.json';

/** The verdict JSON (schema 1), pretty-printed: the contract Argo, Flagger and scripts read. */
export function createJsonReporter(): Reporter {
  return {
    name: 'json',
    async write(ctx: ReportContext): Promise<string[]> {
      await ensurePrivateDir(ctx.dir);
      const file = path.join(ctx.dir, VERDICT_FILE);
      await writePrivateFile(file, `${JSON.stringify(ctx.run.verdict, null, 2)}\n`);
      return [file];
    },
  };
}
