import { defineConfig } from 'vitest/config';

// `npm run test:hardening`: concurrency, crashes, hostile input, slow clients, a failing upstream
// and access control, against real server processes. Separate from `npm test` because it takes
// minutes; the files run one after another so that each one's timings are its own.
export default defineConfig({
  test: {
    include: ['test/hardening/**/*.test.ts'],
    globalSetup: ['test/hardening/support/figures-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
