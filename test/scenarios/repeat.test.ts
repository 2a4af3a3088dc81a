/** `repeat: N` on a scenario and as a suite default in a suite file, read from real files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { loadScenarios } from '../../src/scenarios/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tg-canary-repeat-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (name: string, suite: string, extra = ''): string =>
  `name: ${name}\nsuite: ${suite}\n${extra}steps:\n  - send: "hi"\n  - expect: { assert: [not-error] }\n`;

async function issues(): Promise<string[]> {
  try {
    await loadScenarios(dir);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => `${i.file.replace(`${dir}/`, '')}:${i.line ?? ''} ${i.path}: ${i.message} (fix: ${i.hint ?? ''})`);
    throw e;
  }
  return [];
}

describe('repeat', () => {
  it('a suite file sets the default; a scenario’s own repeat wins; other suites run once', async () => {
    writeFileSync(join(dir, 'rag-suite.yaml'), 'suite: rag\ndescription: knowledge base\ndefaults:\n  repeat: 3\n');
    writeFileSync(join(dir, 'a.yaml'), scenario('rag-a', 'rag'));
    writeFileSync(join(dir, 'b.yaml'), scenario('rag-b', 'rag', 'repeat: 5\n'));
    writeFileSync(join(dir, 'c.yaml'), scenario('joke-c', 'joke'));
    const byName = Object.fromEntries((await loadScenarios(dir)).map((s) => [s.name, s.repeat]));
    expect(byName).toEqual({ 'rag-a': 3, 'rag-b': 5, 'joke-c': undefined });
  });

  it('bad values and bad suite files are reported with file, line, field and fix', async () => {
    writeFileSync(join(dir, 'a.yaml'), scenario('rag-a', 'rag', 'repeat: 0\n'));
    writeFileSync(join(dir, 'b.yaml'), scenario('rag-b', 'rag', 'repeat: 2.5\n'));
    writeFileSync(join(dir, 's1.yaml'), 'suite: rag\ndefaults:\n  repeat: 3\n  repaet: 2\n');
    expect(await issues()).toEqual([
      'a.yaml:3 repeat: must be >= 1 (fix: use a number >= 1)',
      'b.yaml:3 repeat: must be a whole number of attempts (fix: correct this value)',
      's1.yaml:4 defaults.repaet: unknown key "repaet" (fix: did you mean "repeat"?)',
    ]);
  });

  it('two suite files for one suite, and a suite file no scenario uses, are errors', async () => {
    writeFileSync(join(dir, 'a.yaml'), scenario('rag-a', 'rag'));
    writeFileSync(join(dir, 's1.yaml'), 'suite: rag\ndefaults: { repeat: 3 }\n');
    writeFileSync(join(dir, 's2.yaml'), 'suite: rag\ndefaults: { repeat: 2 }\n');
    expect(await issues()).toEqual([expect.stringMatching(/^s2\.yaml:1 suite: a second suite file for suite "rag" \(the first is .*s1\.yaml\) \(fix: keep one suite file per suite\)$/)]);
    rmSync(join(dir, 's2.yaml'));
    writeFileSync(join(dir, 's3.yaml'), 'suite: jokes\ndefaults: { repeat: 2 }\n');
    expect(await issues()).toEqual(['s3.yaml: suite: no scenario has suite "jokes" (fix: check the spelling of the suite name, or remove the suite file)']);
  });
});
