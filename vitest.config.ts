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
    // most end-to-end tests wait on the sandbox's timers, not the CPU: 3 forks on 2 cores ran the suite in 539 s
    // instead of 758 s (same clean clone, quiet machine); with media, keyboards, groups and fleets it grew to ~2,100 s
    // of test time, so 4 forks
    maxWorkers: 4,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
