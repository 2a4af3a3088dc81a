import { configDefaults, defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from './vitest.workspaces.js';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    // the bot zoo runs on its own afterwards (vitest.zoo.config.ts): its ~47 concurrent end-to-end cases would
    // starve the timing-sensitive tests running beside it on a 2-core machine
    exclude: [...configDefaults.exclude, 'test/zoo/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
