import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The hardening suite takes minutes: `npm run test:hardening` (vitest.hardening.config.ts).
    exclude: ['**/node_modules/**', 'test/hardening/**'],
    // Many tests spawn the real CLI (and 20 processes at once); a loaded CI machine needs room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child processes and process.chdir-free code run more predictably in forked workers.
    pool: 'forks',
  },
});
