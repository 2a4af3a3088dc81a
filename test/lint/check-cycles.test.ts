/** scripts/check-cycles.mjs over small real trees written to a temporary folder. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '../../scripts/check-cycles.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgc-cycles-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src/**/*.ts'] }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function check(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('check-cycles', () => {
  it('passes a tree whose imports only go one way', () => {
    const r = check(tree({ 'src/a.ts': "import { b } from './b.js';\nexport const a = b;\n", 'src/b.ts': 'export const b = 1;\n' }));
    expect(r.out).toContain('no import circles among 2 modules');
    expect(r.status).toBe(0);
  });

  it('names a circle made of a type-only import and a dynamic import', () => {
    const r = check(tree({
      'src/load.ts': "export interface Source { text: string }\nexport async function load(): Promise<number> { return (await import('./parse.js')).parse({ text: '' }); }\n",
      'src/parse.ts': "import type { Source } from './load.js';\nexport function parse(s: Source): number { return s.text.length; }\n",
      'src/other.ts': "import { load } from './load.js';\nexport const o = load;\n",
    }));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/import circle \(2 modules\): .*src\/load\.ts → .*src\/parse\.ts → .*src\/load\.ts/);
    expect(r.out).not.toContain('other.ts');
  });

  it('follows re-exports through a folder index', () => {
    const r = check(tree({
      'src/x/index.ts': "export { y } from './y.js';\n",
      'src/x/y.ts': "import { z } from '../z.js';\nexport const y = z;\n",
      'src/z.ts': "import type { y } from './x/index.js';\nexport const z = 1;\nexport type Y = typeof y;\n",
    }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('(3 modules)');
  });
});
