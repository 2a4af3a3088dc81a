// ESLint (flat config) with typescript-eslint. Besides the recommended rules, each external system's package
// stays inside its own folder of src/ (one adapter per external system, see ARCHITECTURE.md), and the sandbox
// (the workspace package packages/sandbox) stays a package of its own: only the CLI's demo, sandbox and login
// commands (and tests) import it, and it imports nothing of the product.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** package → the only places allowed to import it (tests and scripts are exempt: they are not the product) */
const OWNERS = {
  zod: ['src/schema-kit/**'],
  yaml: ['src/schema-kit/**'],
  teleproto: ['src/telegram/**'],
  'better-sqlite3': ['src/store/**'],
  pg: ['src/store/**'],
  synckit: ['src/store/**'],
  'playwright-core': ['src/browser/**'],
  nodemailer: ['src/notifiers/email.ts', 'src/notifiers/email/**'],
  'prom-client': ['src/status/**'],
  pino: ['src/util/logger.ts'],
  'node-cron': ['src/scheduler/**'],
  commander: ['src/cli/**'],
  re2js: ['src/util/safe-regex.ts'],
  '@tg-canary/sandbox': ['src/cli/**'],
};

/**
 * The loopback data center (its own workspace package, packages/sandbox) speaks MTProto itself: of teleproto it may
 * take the TL definitions (and their codec) only. Folder → the packages it may import besides: it declares zod and
 * yaml itself.
 */
const SANDBOX = { 'packages/sandbox/**': ['zod', 'yaml'] };
const SANDBOX_TELEPROTO = {
  paths: [{ name: 'teleproto', allowImportNames: ['Api'], message: 'the sandbox may import only the TL definitions (`Api`) from teleproto.' }],
  patterns: [{ regex: '^teleproto/(?!(tl|extensions|crypto)/)', message: 'the sandbox may import only teleproto/tl, teleproto/extensions and teleproto/crypto (TL definitions, their codec, MTProto ciphers).' }],
};

/** folder → our own folders it must never import (the client adapter knows nothing of the sandbox it is tested on) */
const FORBIDDEN_OWN = {
  'src/telegram/**': [{ regex: '(^|/)sandbox(/|$)', message: 'src/telegram must not import the sandbox (@tg-canary/sandbox): pass the data center (socket, RSA key) through the `dc` option.' }],
  // app/ is the only composition root: commands get the store and the Telegram session from buildRuntime and app/ functions.
  'src/cli/**': [
    { regex: '(^|/)store(/|$)', message: 'src/cli must not open the store: call buildRuntime (src/app/runtime.ts) and app/ functions.' },
    { regex: '(^|/)telegram(/|$)', message: 'src/cli must not call the Telegram adapter: use app/ functions (e.g. src/app/login.ts).' },
  ],
  'src/notifiers/**': [{ regex: '(^|/)(reporters|app)(/|$)', message: 'notifiers are plugins: take the PDF renderer and other services through NotifierDeps (src/delivery/plugin.ts).' }],
  // inside the package every relative import stays in its src/; one that names a src/ has left it for the product's
  'packages/sandbox/**': [
    { regex: '^\\.\\./(.*/)?src/', message: 'the sandbox package must not import the product (src/): move what it needs into packages/sandbox.' },
    { regex: '^tg-canary(/|$)', message: 'the sandbox package must not import the product.' },
  ],
};

const PRODUCT = ['src/**/*.ts', 'packages/*/src/**/*.ts'];
const EXEMPT = ['**/*.test.ts', 'packages/*/test/**'];
const escape = (p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&');
const banned = (p) => ({ regex: `^${escape(p)}(/.*)?$`, message: `${p} may only be imported in ${OWNERS[p].join(', ')} (one folder per external package).` });

// ESLint applies one no-restricted-imports rule per file (the last matching config), so build one config per
// owner folder, each listing every package that folder may NOT import. Owner globs do not overlap.
const ALL = Object.keys(OWNERS);
const GROUPS = [...new Set(Object.values(OWNERS).flat())];
const restricted = (patterns, paths = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const perGroup = [
  { files: PRODUCT, ignores: [...EXEMPT, ...GROUPS, ...Object.keys(SANDBOX)], rules: restricted(ALL.map(banned)) },
  ...GROUPS.map((g) => ({
    files: [g],
    ignores: EXEMPT,
    rules: restricted([...ALL.filter((p) => !OWNERS[p].includes(g)).map(banned), ...(FORBIDDEN_OWN[g] ?? [])]),
  })),
  ...Object.entries(SANDBOX).map(([folder, own]) => ({
    files: [folder],
    ignores: EXEMPT,
    rules: restricted([...ALL.filter((p) => p !== 'teleproto' && !own.includes(p)).map(banned), ...SANDBOX_TELEPROTO.patterns, ...(FORBIDDEN_OWN[folder] ?? [])], SANDBOX_TELEPROTO.paths),
  })),
  // the package's own tests may import any package, but never the product either: the package must test on its own
  ...Object.keys(SANDBOX).map((folder) => ({ files: [`${folder}/*.test.ts`], rules: restricted(FORBIDDEN_OWN[folder] ?? []) })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', 'reports/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...perGroup,
);
