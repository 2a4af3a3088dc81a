import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tg-canary package folder (where package.json and the shipped scenarios/ are), found by walking up from this
 * module. Works from src/ (tests), dist/ (tsc output) and the bundled CLI's chunks alike, at any depth.
 */
export const PACKAGE_ROOT: string = (() => {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tg-canary') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    if (dirname(dir) === dir) return join(start, '..', '..');
  }
})();
