// ESLint (flat config) with typescript-eslint. Besides the recommended rules, each external system's package
// stays inside its own folder of src/ (one adapter per external system, see ARCHITECTURE.md), and the sandbox
// (the workspace package packages/sandbox) stays a package of its own: only the CLI's demo, sandbox and login
// commands (and tests) import it, and it imports nothing of the product.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** package → the only places allowed to import it */
const OWNERS = {
  teleproto: ['src/telegram/**', 'packages/sandbox/**'],
  'better-sqlite3': ['src/store/**'],
  'playwright-core': ['src/browser/**'],
  nodemailer: ['src/notifiers/**'],
  'node-cron': ['src/scheduler/**'],
  'prom-client': ['src/status/**'],
  pino: ['src/util/**'],
  commander: ['src/cli/**'],
  '@tg-canary/sandbox': ['src/cli/**'],
};

/** folder → our own folders it must never import (the client adapter knows nothing of the sandbox it is tested on) */
const FORBIDDEN_OWN = {
  'src/telegram/**': [{ regex: '(^|/)sandbox(/|$)', message: 'src/telegram must not import the sandbox (@tg-canary/sandbox): pass the data center (socket, RSA key) through the `dc` option.' }],
  // inside the package every relative import stays in its src/; one that names a src/ has left it for the product's
  'packages/sandbox/**': [
    { regex: '^\\.\\./(.*/)?src/', message: 'the sandbox package must not import the product (src/): move what it needs into packages/sandbox.' },
    { regex: '^tg-canary(/|$)', message: 'the sandbox package must not import the product.' },
  ],
};

// ESLint applies one no-restricted-imports rule per file (the last matching config), so build one config per
// owner folder, each listing every package that folder may NOT import.
const ALL = Object.keys(OWNERS);
const GROUPS = [...new Set(Object.values(OWNERS).flat())];
const perGroup = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', ...GROUPS],
    rules: { 'no-restricted-imports': ['error', { patterns: ALL.map((p) => ({ regex: `^${p.replace(/\./g, "\\.")}(/.*)?$`, message: `${p} may only be imported in ${OWNERS[p].join(', ')}.` })) }] },
  },
  ...GROUPS.map((g) => ({
    files: [g],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...ALL.filter((p) => !OWNERS[p].includes(g)).map((p) => ({ regex: `^${p.replace(/\./g, "\\.")}(/.*)?$`, message: `${p} may only be imported in ${OWNERS[p].join(', ')}.` })),
          ...(FORBIDDEN_OWN[g] ?? []),
        ],
      }],
    },
  })),
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
