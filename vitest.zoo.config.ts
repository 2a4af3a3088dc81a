import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from './vitest.workspaces.js';

/** The bot zoo (test/zoo): every case at once, each with its own sandbox and database, after the main suite. */
export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ['test/zoo/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 1,
    // it.concurrent cases at once: they mostly wait on their bots
    maxConcurrency: 48,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest-zoo.json' }]] : ['default'],
  },
});
