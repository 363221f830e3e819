import { defineConfig } from 'vitest/config';

/**
 * Integration test files still written as ordered stories: each test leans on what an earlier one in the same file
 * built, so they run in file order until converted (issue 17; docs/decisions/024-tests-and-rules-once.md). Every other
 * integration file builds what each test needs from tests/factories.ts and runs its tests in a shuffled order, the
 * seed printed at the start ("Running tests with seed …"; rerun one with --sequence.seed=N).
 */
export const ORDERED_INTEGRATION_FILES = [
  'access-matrix.test.ts', 'access-matrix-2.test.ts', 'access-matrix-3.test.ts', 'access-session.test.ts',
  'accounts-duties.test.ts', 'assessment.test.ts', 'audit-chain.test.ts', 'auth.test.ts', 'backup-restore.test.ts',
  'ballot-secrecy.test.ts', 'ballots-cast-statement.test.ts', 'ballots.test.ts', 'beijing-today.test.ts',
  'campaigns-demo.test.ts', 'demo-fresh-start.test.ts', 'evaluation-outputs.test.ts',
  'evaluation.test.ts', 'fuzz.test.ts', 'http-surface.test.ts', 'levels.test.ts',
  'login-guard.test.ts', 'meetings.test.ts', 'organizations-import.test.ts', 'organizations.test.ts', 'oversight.test.ts',
  'password-lifecycle.test.ts', 'public-url.test.ts', 'rectification.test.ts',
  'reports-reminders.test.ts', 'reports-rich-text.test.ts', 'reports.test.ts', 'scale-out.test.ts',
  'seed-000-top-level.test.ts', 'seed-003-township-round.test.ts', 'seed-004-city-round.test.ts',
  'session-streams.test.ts', 'smoke.test.ts', 'surveys.test.ts', 'uploads.test.ts', 'vote-guard.test.ts',
].map((f) => `tests/integration/${f}`);

// Unit tests (src/**) and integration tests (tests/integration/**). E2E has its own config.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['tests/setup/fail-on-console-error.ts'],
    globalSetup: ['tests/setup/global.ts'],
    // On here so the seed is printed and --sequence.seed reaches every project; the projects below say what shuffles.
    sequence: { shuffle: { files: false, tests: true } },
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], sequence: { shuffle: false } } },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], exclude: ORDERED_INTEGRATION_FILES },
      },
      {
        extends: true,
        test: { name: 'integration-ordered', include: ORDERED_INTEGRATION_FILES, sequence: { shuffle: false } },
      },
    ],
  },
});
