/**
 * Tests run the workspace packages (packages/*) from their TypeScript sources, not from their builds: each
 * package's `exports` names its source under the `source` condition, and every export becomes a Vite alias.
 * Node and tsc ignore that condition and use dist/ (built by `npm run build`).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Alias {
  find: RegExp;
  replacement: string;
}

type ExportTarget = string | { source?: string };

const root = fileURLToPath(new URL('.', import.meta.url));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function workspaceSourceAliases(): Alias[] {
  const dir = join(root, 'packages');
  const aliases: Alias[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const pkgFile = join(dir, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string; exports?: Record<string, ExportTarget> };
    for (const [key, target] of Object.entries(pkg.exports ?? {})) {
      const source = typeof target === 'object' ? target.source : undefined;
      if (!source) continue;
      const spec = pkg.name + key.slice(1); // './demo-bots' → '@tg-canary/sandbox/demo-bots'
      const find = new RegExp(`^${escape(spec).replace('\\*', '(.+)')}$`);
      aliases.push({ find, replacement: join(dir, name, source).replace('*', '$1') });
    }
  }
  return aliases;
}
