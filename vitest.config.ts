import { defineConfig } from 'vitest/config';

// Unit tests (src/**) and integration tests (tests/integration/**). E2E has its own config.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['tests/setup/fail-on-console-error.ts'],
    globalSetup: ['tests/setup/global.ts'],
  },
});
