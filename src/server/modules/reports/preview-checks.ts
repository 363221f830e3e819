import { AppError } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertActor } from './policy';
import { getReportRow, loadReporter, scopeOf } from './repo';
import { normalizeSections } from './rich-text';
import { runChecks } from './run-checks';

/** Checks on text not yet saved, so the editor shows what they find while the secretary types. Writes nothing. */
export async function previewChecks(db: DbOrTx, user: AuthUser, id: number, input: ReportSection[], today: string) {
  const sections = normalizeSections(input);
  const row = await getReportRow(db, id);
  const ctx = await loadReporter(db, row.reporterId, user, '述职报告');
  assertActor(user, scopeOf(ctx), 'author');
  const keys = new Set<string>();
  for (const s of sections) {
    if (keys.has(s.key))
      throw new AppError('VALIDATION', `述职报告的「${s.title || s.key}」部分重复`, { field: 'sections' });
    keys.add(s.key);
  }
  const out = await runChecks(db, ctx, row.id, sections, today);
  return { results: out.results, blocking: out.blocking };
}
