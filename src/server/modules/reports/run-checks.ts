/**
 * Runs the pure report checks (src/domain/report-checks.ts) with what the database knows: the
 * campaign's settings and the reporter's tier, last year's open rectification items, the same
 * organization's report of last year and the campaign's other reports (by stored signature).
 */
import {
  checkReport,
  reportText,
  type CheckResult,
  type ReportCheckSettings,
  type ReportSection,
} from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import { otherSignatures, previousYearReport, rectificationItemsOf, secretaryOf, type ReporterContext } from './repo';
import { usedSections } from './sections';
import { readTogether } from '../../db/parallel';

export interface ChecksOutcome {
  results: CheckResult[];
  blocking: boolean;
  onBehalf: boolean;
  charLimit: number | null;
  /** What the rectification check compared against, so the page can say where it came from. */
  rectificationSource: 'prior_items' | 'none';
}

export async function runChecks(
  db: DbOrTx,
  ctx: ReporterContext,
  reportId: number | null,
  sections: ReportSection[],
  today: string,
): Promise<ChecksOutcome> {
  const s = ctx.settings;
  const tier = s.reporterTiers.find((t) => t.key === ctx.tierKey) ?? null;
  // The tier is frozen on the reporter at publication (campaigns module); none means no limit to check.
  const charLimit = tier?.charLimit ?? null;
  const [items, previous, others, secretary] = await readTogether(db, [
    () => rectificationItemsOf(db, ctx.campaignId, ctx.orgId),
    () => previousYearReport(db, ctx.orgId, ctx.campaignYear),
    () => (reportId === null ? Promise.resolve([]) : otherSignatures(db, ctx.campaignId, reportId)),
    () => secretaryOf(db, ctx),
  ] as const);
  const settings: ReportCheckSettings = {
    charLimit,
    achievementsMaxShare: s.report.achievementsMaxShare,
    requiredSections: s.report.requiredSections,
    keyContentItems: s.keyContentItems.map((k) => ({ id: k.id, title: k.title })),
    rectificationItems: items.map((i) => ({ id: String(i.id), ref: i.reference ?? undefined, description: i.text })),
    blockingChecks: s.report.blockingChecks,
  };
  const results = checkReport({
    sections: usedSections(sections),
    settings,
    previousReportText: previous ? reportText(previous.sections) : undefined,
    otherReports: others
      .filter((o) => Array.isArray(o.signature))
      .map((o) => ({ id: String(o.id), label: o.label, signature: o.signature as number[] })),
    tenure: secretary ? { start: secretary.tenureStart, asOf: today } : undefined,
  });
  const tenure = results.find((r) => r.id === 'short_tenure');
  return {
    results,
    blocking: results.some((r) => r.level === 'blocker'),
    onBehalf: Boolean(tenure?.details?.onBehalf),
    charLimit,
    rectificationSource: items.length ? 'prior_items' : 'none',
  };
}
