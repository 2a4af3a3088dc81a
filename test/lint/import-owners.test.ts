/**
 * The eslint rule that keeps each external package inside its one folder (eslint.config.js), run through
 * ESLint's own API on snippets placed at real paths of the tree.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages for `code` as if it were the file at `path`. */
async function restricted(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: join(root, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('one folder per external package', () => {
  it('lets each owner import its package', async () => {
    expect(await restricted('src/schema-kit/tmp-probe.ts', "import * as z from 'zod';\nimport { parse } from 'yaml';\nvoid z; void parse;")).toEqual([]);
    expect(await restricted('src/store/tmp-probe.ts', "import Database from 'better-sqlite3';\nvoid Database;")).toEqual([]);
    expect(await restricted('src/util/logger.ts', "import { pino } from 'pino';\nvoid pino;")).toEqual([]);
    expect(await restricted('src/notifiers/email.ts', "import type { Transporter } from 'nodemailer';\nexport type T = Transporter;")).toEqual([]);
  });

  it('refuses the package anywhere else, type-only imports too', async () => {
    expect(await restricted('src/config/tmp-probe.ts', "import * as z from 'zod';\nvoid z;")).toEqual([expect.stringContaining('zod may only be imported in src/schema-kit/**')]);
    expect(await restricted('src/app/tmp-probe.ts', "import { parse } from 'yaml';\nvoid parse;")).toEqual([expect.stringContaining('yaml may only be imported')]);
    expect(await restricted('src/app/tmp-probe.ts', "import { startSandbox } from '@tg-canary/sandbox';\nvoid startSandbox;")).toEqual([expect.stringContaining('@tg-canary/sandbox may only be imported in src/cli/**')]);
    expect(await restricted('src/util/tmp-probe.ts', "import { pino } from 'pino';\nvoid pino;")).toEqual([expect.stringContaining('pino may only be imported in src/util/logger.ts')]);
    expect(await restricted('src/notifiers/telegram-bot.ts', "import type { Transporter } from 'nodemailer';\nexport type T = Transporter;")).toHaveLength(1);
    expect(await restricted('src/app/tmp-probe.ts', "import { RE2JS } from 're2js';\nvoid RE2JS;")).toHaveLength(1);
    expect(await restricted('src/status/tmp-probe.ts', "import type Database from 'better-sqlite3';\nexport type D = Database.Database;")).toHaveLength(1);
  });

  it('gives the sandbox the TL definitions of teleproto and nothing else', async () => {
    expect(await restricted('packages/sandbox/src/tmp-probe.ts', "import { Api } from 'teleproto';\nimport { BinaryReader } from 'teleproto/extensions/index.js';\nvoid Api; void BinaryReader;")).toEqual([]);
    expect(await restricted('packages/sandbox/src/tmp-probe.ts', "import { TelegramClient } from 'teleproto';\nvoid TelegramClient;")).toHaveLength(1);
    expect(await restricted('packages/sandbox/src/tmp-probe.ts', "import { StringSession } from 'teleproto/sessions/index.js';\nvoid StringSession;")).toHaveLength(1);
    expect(await restricted('src/core/tmp-probe.ts', "import { Api } from 'teleproto';\nvoid Api;")).toEqual([expect.stringContaining('teleproto may only be imported in src/telegram/**')]);
  });

  it('lets the sandbox as its own package (packages/sandbox) declare zod and yaml, and nothing else', async () => {
    expect(await restricted('packages/sandbox/src/tmp-probe.ts', "import * as z from 'zod';\nimport { parse } from 'yaml';\nimport { Api } from 'teleproto';\nvoid z; void parse; void Api;")).toEqual([]);
    expect(await restricted('packages/sandbox/src/tmp-probe.ts', "import { TelegramClient } from 'teleproto';\nvoid TelegramClient;")).toHaveLength(1);
    expect(await restricted('packages/sandbox/src/tmp-probe.ts', "import Database from 'better-sqlite3';\nvoid Database;")).toHaveLength(1);
  });

  it('keeps the client adapter ignorant of the sandbox', async () => {
    expect(await restricted('src/telegram/tmp-probe.ts', "import { startSandbox } from '../sandbox/index.js';\nvoid startSandbox;")).toEqual([expect.stringContaining('must not import the sandbox')]);
    expect(await restricted('src/telegram/tmp-probe.ts', "import { startSandbox } from '@tg-canary/sandbox';\nvoid startSandbox;")).toEqual(expect.arrayContaining([expect.stringContaining('must not import the sandbox')]));
  });

  it('exempts tests', async () => {
    expect(await restricted('src/core/tmp-probe.test.ts', "import * as z from 'zod';\nvoid z;")).toEqual([]);
  });
});
