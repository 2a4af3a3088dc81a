/**
 * Issue 15 #7: input the user points tg-canary at is bounded. Scenario files and secret files must be regular
 * files (a FIFO, /dev/zero or a symlink to it is refused at once instead of hanging or eating memory), at most
 * 1 MiB per scenario file (64 KiB per secret file), and strict UTF-8 with the file and byte offset named. Real CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { firstInvalidUtf8 } from '../../src/util/read-input-file.js';
import { startCli } from './helpers.js';
import { convertScenario } from '../support/scenarios.js';

let w: World;
let n = 0;

const good = convertScenario();

/** A scenario folder with the good scenario plus `extra(dir)`; returns its path. */
function folder(extra: (dir: string) => void): string {
  const dir = join(w.dir, `sc-${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'a-good.yaml'), good);
  extra(dir);
  return dir;
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = Date.now();
  const live = startCli(args, { ...w.env, ...env }, { timeoutMs: 15_000 });
  const end = await live.exited;
  return { code: end.code, out: live.stdout() + live.stderr(), ms: end.at - t0 };
}

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('scenario files', () => {
  it('a FIFO is refused at once (it hung)', async () => {
    const dir = folder((d) => execFileSync('mkfifo', [join(d, 'b-pipe.yaml')]));
    const r = await cli(['list'], { SCENARIOS_DIR: dir });
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/b-pipe\.yaml.*FIFO.*\[INPUT_NOT_A_FILE\]/s);
    expect(r.ms).toBeLessThan(8_000);
  });

  it('a symlink to /dev/zero is refused at once (it grew to 14 GB)', async () => {
    const dir = folder((d) => symlinkSync('/dev/zero', join(d, 'b-zero.yaml')));
    const r = await cli(['list'], { SCENARIOS_DIR: dir });
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/b-zero\.yaml.*character device/s);
    expect(r.ms).toBeLessThan(8_000);
  });

  it('a 3 MiB scenario file is over the 1 MiB limit (50 MB was accepted at 1.8 GB RSS)', async () => {
    const dir = folder((d) => writeFileSync(join(d, 'b-big.yaml'), `${good}${'# padding padding padding padding\n'.repeat(100_000)}`));
    const r = await cli(['list'], { SCENARIOS_DIR: dir });
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/b-big\.yaml.*over the limit of 1048576 bytes.*\[INPUT_TOO_LARGE\]/s);
  });

  it('invalid UTF-8 names the file and the byte offset (it became U+FFFD silently)', async () => {
    const bytes = Buffer.concat([Buffer.from('name: bad\n# caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]);
    const dir = folder((d) => writeFileSync(join(d, 'b-latin1.yaml'), bytes));
    const r = await cli(['list'], { SCENARIOS_DIR: dir });
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/b-latin1\.yaml.*not valid UTF-8: invalid byte 0xe9 at byte offset 15 \(line 2\).*\[INPUT_NOT_UTF8\]/s);
  });

  it('healthy variant: regular UTF-8 files (with emoji, a BOM, a symlink to a regular file) are listed', async () => {
    const dir = folder((d) => {
      writeFileSync(join(d, 'b-emoji.yaml'), `\ufeff${good.replace('convert', 'convert-emoji').replace('Convert', 'Convert 🐤')}`);
      writeFileSync(join(w.dir, `linked-${n}.txt`), good.replace('convert', 'convert-linked'));
      symlinkSync(join(w.dir, `linked-${n}.txt`), join(d, 'c-link.yml'));
    });
    const r = await cli(['list'], { SCENARIOS_DIR: dir });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/convert-emoji/);
    expect(r.out).toMatch(/convert-linked/);
    expect(r.out).toMatch(/3 scenarios/);
  });
});

describe('secret files', () => {
  const runEnv = (file: string): NodeJS.ProcessEnv => ({ TG_SESSION: '', TG_SESSION_FILE: file, SCENARIOS_DIR: folder(() => undefined) });

  it('TG_SESSION_FILE=/dev/zero is refused at once (it hung)', async () => {
    const r = await cli(['run', '--json'], runEnv('/dev/zero'));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/TG_SESSION_FILE.*character device/s);
    expect(r.ms).toBeLessThan(8_000);
  });

  it('a FIFO as TG_SESSION_FILE is refused at once (it hung)', async () => {
    const fifo = join(w.dir, `session-${++n}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['run', '--json'], runEnv(fifo));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/TG_SESSION_FILE.*FIFO/s);
    expect(r.ms).toBeLessThan(8_000);
  });

  it('healthy variant: a regular session file works', async () => {
    const file = join(w.dir, `session-${++n}.txt`);
    writeFileSync(file, `${w.env.TG_SESSION as string}\n`, { mode: 0o600 });
    const r = await cli(['run', '--json'], runEnv(file));
    expect(r.code, r.out).toBe(0);
  }, 30_000);
});

describe('the UTF-8 check', () => {
  it('finds the first bad byte and accepts every valid sequence', () => {
    expect(firstInvalidUtf8(Buffer.from('plain ascii, Привет, 中文, 🐤'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // truncated at the end
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // past U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x80]))).toBe(0); // a lone continuation byte
  });
});
