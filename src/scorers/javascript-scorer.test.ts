import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TgCanaryError } from '../core/errors.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';
import type { AssertionOutcome } from './types.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgc-js-'));
  writeFileSync(join(dir, 'bool.mjs'), 'export default (text) => text.includes("ok");\n');
  writeFileSync(join(dir, 'num.mjs'), 'export default (text) => Math.min(1, [...text].length / 10);\n');
  writeFileSync(
    join(dir, 'obj.mjs'),
    'export const check = async (text, { reply, vars }) => ({ pass: text.includes(vars.nonce), score: 0.7, ' +
      'reason: `messages=${reply.messageCount}` });\nexport default () => true;\n',
  );
  writeFileSync(join(dir, 'throws.mjs'), 'export default () => { throw new Error("boom in user code"); };\n');
  writeFileSync(join(dir, 'weird.mjs'), 'export default () => "yes";\n');
  writeFileSync(join(dir, 'rtl.mjs'), 'export default (text) => /\\p{Script=Hebrew}/u.test(text) && text.includes("👋");\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function grade(value: unknown, text: string | string[], type = 'javascript', threshold?: number): Promise<AssertionOutcome> {
  return scoreAssertion(
    { type, value, weight: 1, critical: false, threshold },
    scorerContext(textReply(text), { vars: { nonce: 'n0nce' }, scenario: { name: 's', suite: 'x', file: join(dir, 'scenario.yaml') } }),
  );
}

describe('javascript', () => {
  it('runs a default export relative to the scenario file (boolean)', async () => {
    expect((await grade('./bool.mjs', 'all ok')).pass).toBe(true);
    expect((await grade('bool.mjs', 'nope')).pass).toBe(false);
  });
  it('treats a number as score with threshold (default 0.5)', async () => {
    const r = await grade('num.mjs', '12345678');
    expect(r).toMatchObject({ pass: true, score: 0.8 });
    expect((await grade('num.mjs', '12345678', 'javascript', 0.9)).pass).toBe(false);
  });
  it('uses a named export returning { pass, score, reason } with reply and vars', async () => {
    const r = await grade({ file: 'obj.mjs', export: 'check' }, 'has n0nce');
    expect(r).toMatchObject({ pass: true, score: 0.7, reason: 'messages=1' });
    expect((await grade({ file: 'obj.mjs', export: 'check' }, [])).pass).toBe(false);
  });
  it('turns a throwing function or a bad return into a fail', async () => {
    const r = await grade('throws.mjs', 'x');
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('boom in user code');
    expect((await grade('weird.mjs', 'x')).reason).toContain('expected boolean');
  });
  it('raises a config error for a missing file or export', async () => {
    await expect(grade('missing.mjs', 'x')).rejects.toMatchObject({ code: 'JS_ASSERTION_NOT_FOUND', kind: 'config' });
    await expect(grade({ file: 'bool.mjs', export: 'nope' }, 'x')).rejects.toBeInstanceOf(TgCanaryError);
  });
  it('handles unicode and 4,096-character replies', async () => {
    expect((await grade('rtl.mjs', 'שלום 👋')).pass).toBe(true);
    expect((await grade('rtl.mjs', 'hello')).pass).toBe(false);
    expect((await grade('bool.mjs', `${'x'.repeat(4094)}ok`)).pass).toBe(true);
  });
});
