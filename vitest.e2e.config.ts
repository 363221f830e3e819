import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium driven by playwright-core against the built app.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['tests/setup/global.ts'],
    // A browser page under a loaded CI machine needs more than expect.poll's 1 s default to settle (two specs
    // failed on it in a clean-clone run); specs that need longer still pass their own timeout.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
