/**
 * One part of the issue 8 access matrix as a vitest suite. The routes are split across three test files (in
 * registration order) only so vitest runs them in parallel; each file calls describeMatrixPart with its number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSummary, runMatrix } from './access-matrix-run';
import { buildMatrixWorld, type MatrixWorld, setupMatrixApp, tableCounts } from './access-matrix-world';

export const MATRIX_PARTS = 3;

/** Registers the setup, the run of part `n` (1-based) and its assertions in the calling test file. */
export function describeMatrixPart(n: number) {
  const part = { index: n - 1, of: MATRIX_PARTS };
  const label = `part ${n}/${MATRIX_PARTS}`;
  let t: Awaited<ReturnType<typeof setupMatrixApp>>;
  let world: MatrixWorld;
  beforeAll(async () => {
    t = await setupMatrixApp();
    world = await buildMatrixWorld(t.app, t.db);
  }, 120_000);
  afterAll(async () => t?.close());

  describe(`access matrix ${label}: every role × every route, county B and the auditor on county A objects`, () => {
    it('anonymous → 401, no unexpected allow, every refusal a 403/404 past validation, refused requests change nothing', async () => {
      // audit_log: allowed downloads are audited by design (the CSRF sweep in access-session.test.ts counts it too).
      const before = await tableCounts(t.db, ['sessions', 'audit_log']);
      const m = await runMatrix(t.app, world, t.routes, part);
      printSummary(label, m);
      expect(m.unclassified, 'routes without a row in access-matrix-allow.ts').toEqual([]);
      expect(m.anonymousNot401).toEqual([]);
      expect(m.unexpectedAllows).toEqual([]);
      expect(m.inconclusive).toEqual([]);
      expect(m.leaks).toEqual([]);
      expect(m.existenceLeaks, 'out-of-scope answers that differ from a missing id').toEqual([]);
      expect(m.allowedFailures).toEqual([]);
      expect(m.table.length).toBeGreaterThan(60);
      // Allowed reads ran too (they write only last_seen and download audit rows), so every other count is unchanged.
      expect(await tableCounts(t.db, ['sessions', 'audit_log'])).toEqual(before);
    }, 300_000);
  });
}
