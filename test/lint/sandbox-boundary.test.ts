/**
 * ESLint keeps the sandbox a package of its own: only src/cli/ imports it (tests too), src/telegram/ never does,
 * and the package imports nothing of the product's src/.
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const useSandbox = "import { startSandbox } from '@tg-canary/sandbox';\nexport const s: unknown = startSandbox;\n";

describe('the sandbox package boundary (eslint.config.js)', () => {
  it('src/cli may import the sandbox package; the rest of src/ may not', async () => {
    expect(await restricted('src/cli/cmd-probe.ts', useSandbox)).toEqual([]);
    expect((await restricted('src/app/probe.ts', useSandbox)).join('\n')).toMatch(/@tg-canary\/sandbox may only be imported in src\/cli/);
  });

  it('src/telegram never imports the sandbox, by package name or subpath', async () => {
    const sub = "import { SANDBOX_RSA_PUBLIC } from '@tg-canary/sandbox/rsa-public-key';\nexport const k: unknown = SANDBOX_RSA_PUBLIC;\n";
    for (const code of [useSandbox, sub]) {
      expect((await restricted('src/telegram/probe.ts', code)).join('\n')).toMatch(/src\/telegram must not import the sandbox/);
    }
  });

  it('the package imports nothing of the product, and may import teleproto', async () => {
    const product = "import { TgCanaryError } from '../../../src/core/errors.js';\nexport const e: unknown = TgCanaryError;\n";
    expect((await restricted('packages/sandbox/src/probe.ts', product)).join('\n')).toMatch(/must not import the product/);
    const deeper = "import { similarity } from '../../../../src/scorers/text.js';\nexport const f: unknown = similarity;\n";
    expect((await restricted('packages/sandbox/src/demo-bots/probe.test.ts', deeper)).join('\n')).toMatch(/must not import the product/);
    const own = "import { Api } from 'teleproto';\nimport type { BotChat } from '../bot-contract.js';\nexport const a: unknown = Api;\nexport type C = BotChat;\n";
    expect(await restricted('packages/sandbox/src/demo-bots/probe.ts', own)).toEqual([]);
  });

  it('tests in test/ import it by name', async () => {
    expect(await restricted('test/sandbox/probe.test.ts', useSandbox)).toEqual([]);
  });
});
