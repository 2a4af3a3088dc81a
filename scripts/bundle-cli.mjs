#!/usr/bin/env node
/**
 * Second build step (after tsc): bundles the CLI entry `dist/cli/main.js` and everything it imports into
 * `dist/cli/main.js` (replacing tsc's) and `dist/cli/chunks/`. Why: the CronJob starts cold every hour, and Node 20 spends
 * ~0.5 ms per module file on resolution, reads and linking; the CLI's own ~120 modules plus zod's ~95 made the
 * first message ~0.16 s later (bench/cold-start.mjs, issue 7 row 2). Commands and features that are loaded on
 * first use (`await import(...)`) become their own chunks, loaded only when used.
 *
 * Bundled: our code (src/ and the workspace packages, e.g. @tg-canary/sandbox from packages/sandbox/dist), and the
 * pure-JS packages with many small files (zod, yaml, commander). Left in
 * node_modules and loaded as usual: gramjs (the unmodified client, CommonJS), native addons (better-sqlite3),
 * packages that locate files or workers at run time (pino's thread-stream, playwright-core), and the lazily
 * loaded rest. Every other dist/ module stays as tsc wrote it (bench scripts and tests import them).
 */
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** Our workspace packages (packages/*, e.g. the sandbox for `demo` and `sandbox`): always bundled, from their dist/. */
const WORKSPACES = (rootPkg.workspaces ?? [])
  .flatMap((pattern) => (pattern.endsWith('/*') ? readdirSync(join(root, pattern.slice(0, -2))).map((d) => join(pattern.slice(0, -2), d)) : [pattern]))
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name);
const BUNDLED = new Set(['zod', 'yaml', 'commander', 'pino', ...WORKSPACES]);
const deps = Object.keys(rootPkg.dependencies ?? {});
// A workspace package is a devDependency: it is inside the bundle, so a production install needs none of it.
const devDeps = Object.keys(rootPkg.devDependencies ?? {});
for (const name of BUNDLED) {
  const declared = WORKSPACES.includes(name) ? devDeps.includes(name) || deps.includes(name) : deps.includes(name);
  if (!declared) throw new Error(`bundle-cli: ${name} is not a dependency any more; update BUNDLED`);
}

/**
 * A package imported by our code stays external unless listed in BUNDLED; a listed package is bundled with its
 * own dependencies (an importer inside node_modules can only be part of a bundled package). A workspace package
 * is our code (esbuild sees its real path, packages/…, not node_modules/): its imports follow the same rule.
 */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (args.importer.includes('/node_modules/')) return undefined;
      const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED.has(pkg) ? undefined : { path: args.path, external: true };
    });
  },
};

const BANNER_MARK = '__tgcCreateRequire';
const entry = join(root, 'dist/cli/main.js');
if (readFileSync(entry, 'utf8').includes(BANNER_MARK)) {
  throw new Error('bundle-cli: dist/cli/main.js is already a bundle; run the whole build (`npm run build`), which runs tsc first');
}
// Chunks of an earlier build would pile up (their names carry a content hash).
rmSync(join(root, 'dist/cli/chunks'), { recursive: true, force: true });

const t0 = Date.now();
const out = await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js' },
  outdir: 'dist/cli',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'eof',
  // CommonJS code inside the bundle (yaml, commander) may call require() for Node built-ins.
  banner: { js: `import { createRequire as ${BANNER_MARK} } from 'node:module'; const require = ${BANNER_MARK}(import.meta.url);` },
  plugins: [externalPackages],
  metafile: true,
  logLevel: 'warning',
});
// `--metafile`: what went where (which packages the CLI loads at start), for https://esbuild.github.io/analyze/.
if (process.argv.includes('--metafile')) writeFileSync(join(root, 'dist/cli/chunks/metafile.json'), JSON.stringify(out.metafile));
const files = Object.entries(out.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const kb = files.reduce((s, [, o]) => s + o.bytes, 0) / 1024;
if (!process.argv.includes('--quiet')) console.log(`bundle-cli: dist/cli/main.js + ${files.length - 1} chunks, ${kb.toFixed(0)} KiB, ${Date.now() - t0} ms`);
