/** Property-based fuzzing of the config loader: random env maps and config files never crash it or leak secrets. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ValidationError } from '../../src/core/errors.js';
import { ENV_VARS, loadConfig } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tgc-fuzz-'));
writeFileSync(join(dir, 'secret.txt'), 'FILE-S3CR3T-value');
const names = ENV_VARS.filter((v) => v.kind !== 'config-file').map((v) => v.name);
const secretNames = new Set(ENV_VARS.filter((v) => v.secret).map((v) => v.name));

const value = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', ' ', 'true', 'no', '5s', '4h', '0', '-1', '65536', '@bot_name', 'http://x:1/', 'a@b.c,d@e.f', '127.0.0.1:99', '* * * * *', 'secret.txt', '../nope'),
);
const envArb = fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 12 });
const secretArb = fc.string({ minLength: 4, maxLength: 10, unit: fc.constantFrom(...'abcdefgh0123'.split('')) }).map((s) => `S3CR3T-${s}`);

async function check(run: () => Promise<unknown>, secrets: string[]): Promise<void> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    const err = e as ValidationError;
    expect(err.issues.length).toBeGreaterThan(0);
    for (const i of err.issues) {
      expect(i.file.length).toBeGreaterThan(0);
      expect(typeof i.path).toBe('string');
      expect(i.hint && i.hint.length > 0).toBe(true);
    }
    const text = `${err.message}\n${JSON.stringify(err.issues)}`;
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toContain('FILE-S3CR3T');
  }
}

describe('config loader fuzzing', () => {
  it('random env maps with random secrets (1,500 inputs)', async () => {
    await fc.assert(
      fc.asyncProperty(envArb, fc.array(secretArb, { minLength: 7, maxLength: 7 }), fc.subarray(['telegram', 'targets'] as const), async (env, secrets, req) => {
        const e: Record<string, string> = { ...env };
        [...secretNames].forEach((n, k) => {
          if (k < secrets.length && !(`${n}_FILE` in e)) e[n] = secrets[k];
        });
        await check(() => loadConfig({ env: e, cwd: dir, require: [...req] }), Object.entries(e).filter(([k, v]) => secretNames.has(k) && v.startsWith('S3CR3T-')).map(([, v]) => v));
      }),
      { numRuns: 1500 },
    );
  });

  it('random YAML config files (1,000 inputs)', async () => {
    const section = fc.constantFrom('telegram', 'targets', 'paths', 'run', 'verdict', 'alerts', 'status', 'serve', 'logLevel', 'llmJudge', 'bogus');
    const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }));
    const key = fc.constantFrom('apiId', 'apiHash', 'session', 'canary', 'port', 'schedule', 'email', 'host', 'to', 'token', 'keepDays', 'x');
    const obj = fc.dictionary(section, fc.oneof(leaf, fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 })), { maxKeys: 4 })), { maxKeys: 5 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(obj.map((o) => stringify(o)), fc.string({ maxLength: 80 })), async (text) => {
        const file = join(dir, `c${n++ % 50}.yaml`);
        writeFileSync(file, text);
        await check(() => loadConfig({ env: { TG_API_HASH: 'S3CR3T-envhash' }, cwd: dir, file, require: [] }), ['S3CR3T-envhash']);
      }),
      { numRuns: 1000 },
    );
  });
});
