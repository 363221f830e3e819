import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { isReportAuthor, readsUnpublished, wasSubmitted } from '../../../domain/report-review';
import { DEFAULT_MIN_GROUP, type BallotInput, tallyBallots } from '../../../domain/tally';
import type { Grade } from '../../../domain/grades';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { cryptoRng } from '../ballots/compute-results';
import { matchedPaper } from '../ballots/paper-tallies';
import { reporterPhoneBallots } from '../ballots/queries';
import { failedFieldScores } from '../assessment/queries';
import { reporterComments } from '../meetings/queries';
import { orgVisitProblems } from '../oversight/queries';
import { reporterReport } from '../reports/queries';
import { reporterItemDissatisfaction } from '../surveys/queries';
import { assertReadItems } from './policy';
import { campaignOf, type CampaignCtx, requireReporter, type ReporterCtx } from './repo';
import { SOURCE_LABELS, type SourceType } from './schemas';

/** A survey item lands in the inbox when at least this share of its answers for the unit is 不满意. */
export const SURVEY_DISSATISFIED_SHARE = 0.2;

export interface InboxEntry {
  key: string;
  sourceType: SourceType;
  sourceLabel: string;
  sourceId: number | null;
  text: string;
  /** Where it came from, in words (who commented, which checklist item, …); never who voted. */
  detail: string | null;
  /** The item made from it, once turned into one. */
  itemId: number | null;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Texts without a row of their own (ballot free texts, points of the report's 存在问题 section) are told
 * apart by a hash of their words; everything else by its source row.
 */
export function entryKey(sourceType: string, sourceId: number | null, text: string | null): string {
  return sourceType === 'ballot_text' || sourceType === 'self_review'
    ? `${sourceType}:${sourceId ?? 0}:${hash(text ?? '')}`
    : `${sourceType}:${sourceId ?? 0}`;
}

/** Splits a 存在问题 section into its points: "一是…二是…", "第一，…", "1. …", else sentences per paragraph. */
export function splitProblems(text: string): string[] {
  const marker =
    /(?:^|(?<=[。；;\n]))\s*(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、]|[（(]?[一二三四五六七八九十\d]+[)）、.．])/g;
  const starts = [...text.matchAll(marker)].map((m) => m.index!);
  const parts =
    starts.length >= 2 ? starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length)) : text.split(/\n+/);
  return parts.map((p) => p.trim()).filter((p) => p.length >= 4);
}

const isProblemsSection = (s: { key?: string; title?: string }) =>
  s.key === 'problems' || (/问题|不足/.test(s.title ?? '') && !/根源|原因|措施|整改情况/.test(s.title ?? ''));

async function selfReview(db: DbOrTx, user: AuthUser, rep: ReporterCtx): Promise<InboxEntry[]> {
  const report = await reporterReport(db, rep.id);
  // Whoever reads this organization's items reads its report's problems once it was handed in (reports' rule).
  if (
    !report ||
    !readsUnpublished({ author: isReportAuthor(user, rep.orgId), readsSubmitted: true }, wasSubmitted(report.state))
  )
    return [];
  const section = (Array.isArray(report.sections) ? report.sections : []).find(isProblemsSection);
  if (!section?.text) return [];
  return splitProblems(section.text.replace(/<[^>]+>/g, '')).map((text) => ({
    key: entryKey('self_review', report.id, text),
    sourceType: 'self_review',
    sourceLabel: SOURCE_LABELS.self_review,
    sourceId: report.id,
    text,
    detail: `述职报告「${section.title ?? '存在问题'}」`,
    itemId: null,
  }));
}

async function comments(db: DbOrTx, rep: ReporterCtx): Promise<InboxEntry[]> {
  const rows = await reporterComments(db, rep.id);
  return rows.map((r) => ({
    key: entryKey('comment', r.id, null),
    sourceType: 'comment',
    sourceLabel: SOURCE_LABELS.comment,
    sourceId: r.id,
    text: r.body,
    detail: `${r.title}：${r.authorRole}${r.authorName}点评`,
    itemId: null,
  }));
}

/**
 * Free texts of released real rounds only, and only where the reporter's ballots reach the round's frozen
 * minimum group size (as the results page): shuffled, without category, grade or anything else. The one rule for
 * released ballot texts; the inbox and the comment themes (R-VOTE-6) both read it. `roundId` limits it to one round.
 */
export async function releasedBallotTexts(db: DbOrTx, rep: { id: number; campaignId: number }, roundId?: number) {
  const rounds = await queryRows<{ id: number; anonymity: { minGroupSize?: number } | null }>(
    db,
    sql`
    select br.id, br.anonymity from ballots_v_released_rounds br
    where br.campaign_id = ${rep.campaignId}
      ${roundId === undefined ? sql`` : sql`and br.id = ${roundId}`} order by br.id`,
  );
  const out: Array<{ roundId: number; problems: string[]; suggestions: string[] }> = [];
  for (const round of rounds) {
    const phone = await reporterPhoneBallots(db, round.id, rep.id);
    const { forms } = await matchedPaper(db, round.id);
    const inputs: BallotInput[] = [
      ...phone.map((b) => ({
        reporterId: String(rep.id),
        category: b.category,
        grade: b.grade as Grade,
        problems: b.problems ?? undefined,
        suggestions: b.suggestions ?? undefined,
      })),
      ...forms.filter((f) => f.reporterId === String(rep.id)),
    ];
    const [tally] = tallyBallots(inputs, {
      rng: cryptoRng,
      minGroup: round.anonymity?.minGroupSize ?? DEFAULT_MIN_GROUP,
      reporterIds: [String(rep.id)],
    });
    if (tally?.problems || tally?.suggestions)
      out.push({ roundId: round.id, problems: tally.problems ?? [], suggestions: tally.suggestions ?? [] });
  }
  return out;
}

async function ballotTexts(db: DbOrTx, rep: ReporterCtx): Promise<InboxEntry[]> {
  const out: InboxEntry[] = [];
  for (const round of await releasedBallotTexts(db, rep)) {
    for (const text of round.problems) {
      out.push({
        key: entryKey('ballot_text', round.roundId, text),
        sourceType: 'ballot_text',
        sourceLabel: SOURCE_LABELS.ballot_text,
        sourceId: round.roundId,
        text,
        detail: '测评表“问题不足”栏（匿名）',
        itemId: null,
      });
    }
  }
  return out;
}

async function fieldItems(db: DbOrTx, rep: ReporterCtx): Promise<InboxEntry[]> {
  const rows = await failedFieldScores(db, rep.id);
  return rows.map((r) => ({
    key: entryKey('field_item', r.id, null),
    sourceType: 'field_item',
    sourceLabel: SOURCE_LABELS.field_item,
    sourceId: r.id,
    text: r.note?.trim() ? `${r.title}：${r.note.trim()}` : r.title,
    detail: `考核细则「${r.section}」，得分${r.score}/${r.maxPoints}`,
    itemId: null,
  }));
}

async function surveyItems(db: DbOrTx, rep: ReporterCtx, minGroup: number): Promise<InboxEntry[]> {
  const rows = await reporterItemDissatisfaction(db, rep.campaignId, rep.id);
  return (
    rows
      // Below the minimum group a share would say how a handful of named respondents answered.
      .filter((r) => r.answers >= minGroup && r.dissatisfied / r.answers >= SURVEY_DISSATISFIED_SHARE)
      .map((r) => {
        const pct = Math.round((r.dissatisfied / r.answers) * 1000) / 10;
        return {
          key: entryKey('survey_item', r.id, null),
          sourceType: 'survey_item' as const,
          sourceLabel: SOURCE_LABELS.survey_item,
          sourceId: r.id,
          text: `群众对“${r.text}”不满意率${pct}%`,
          detail: `${r.answers}份答卷，${r.dissatisfied}份不满意`,
          itemId: null,
        };
      })
  );
}

async function visitProblems(db: DbOrTx, campaign: CampaignCtx, rep: ReporterCtx): Promise<InboxEntry[]> {
  // Visits are recorded on whichever level's campaign the visitors came from, in the same year.
  const rows = await orgVisitProblems(db, rep.orgId, campaign.year);
  return rows.map((r) => ({
    key: entryKey('research_visit', r.id, null),
    sourceType: 'research_visit',
    sourceLabel: SOURCE_LABELS.research_visit,
    sourceId: r.id,
    text: r.text,
    detail: `${r.visitedOn} ${r.visitors}调研走访`,
    itemId: null,
  }));
}

/** Themes the organizer proposed as problems (R-VOTE-6); a rejected one leaves the inbox, a merged one points at its item. */
async function themeDraftEntries(
  db: DbOrTx,
  rep: ReporterCtx,
): Promise<Array<InboxEntry & { mergedItemId: number | null }>> {
  const rows = await queryRows<{
    id: number;
    label: string;
    commentCount: number;
    quotes: string[];
    mergedItemId: number | null;
  }>(
    db,
    sql`
    select id, label, comment_count as "commentCount", quotes, merged_item_id as "mergedItemId"
    from themes_v_drafts where reporter_id = ${rep.id} and state <> 'rejected' order by id`,
  );
  return rows.map((r) => ({
    key: entryKey('comment_theme', r.id, null),
    sourceType: 'comment_theme',
    sourceLabel: SOURCE_LABELS.comment_theme,
    sourceId: r.id,
    text: themeDraftText(r.label, r.commentCount, r.quotes),
    detail: `${r.commentCount}条意见归纳（匿名，引文随机排列）`,
    itemId: null,
    mergedItemId: r.mergedItemId,
  }));
}

/** The problem as the item will state it: the theme, how many comments, and the quotes as its source (R-FIX-1). */
export function themeDraftText(label: string, count: number, quotes: readonly string[]) {
  return `群众意见集中反映“${label}”方面的问题（${count}条）。${quotes.length ? `代表性意见：${quotes.map((q) => `“${q}”`).join('；')}` : ''}`;
}

export async function inboxEntries(
  db: DbOrTx,
  user: AuthUser,
  campaign: CampaignCtx,
  rep: ReporterCtx,
): Promise<InboxEntry[]> {
  const minGroup = campaign.settings?.ballots?.minGroupSize ?? DEFAULT_MIN_GROUP;
  const found = [
    ...(await selfReview(db, user, rep)),
    ...(await comments(db, rep)),
    ...(await ballotTexts(db, rep)),
    ...(await fieldItems(db, rep)),
    ...(await surveyItems(db, rep, minGroup)),
    ...(await visitProblems(db, campaign, rep)),
  ];
  const drafts = await themeDraftEntries(db, rep);
  const items = await queryRows<{
    id: number;
    sourceType: SourceType;
    sourceId: number | null;
    sourceText: string | null;
    description: string;
  }>(
    db,
    sql`
    select id, source_type as "sourceType", source_id as "sourceId", source_text as "sourceText", description
    from rectification_items where campaign_id = ${campaign.id} and org_id = ${rep.orgId} and parent_id is null order by id`,
  );
  const byKey = new Map(items.map((i) => [entryKey(i.sourceType, i.sourceId, i.sourceText), i.id]));
  // Manually entered 巡视/巡察 feedback has no other home: it is its item.
  const manual: InboxEntry[] = items
    .filter((i) => i.sourceType === 'inspection')
    .map((i) => ({
      key: entryKey('inspection', i.id, null),
      sourceType: 'inspection',
      sourceLabel: SOURCE_LABELS.inspection,
      sourceId: i.id,
      text: i.sourceText ?? i.description,
      detail: '手工录入',
      itemId: i.id,
    }));
  return [
    ...found.map((e) => ({ ...e, itemId: byKey.get(e.key) ?? null })),
    ...drafts.map(({ mergedItemId, ...e }) => ({ ...e, itemId: byKey.get(e.key) ?? mergedItemId })),
    ...manual,
  ];
}

/** The problem inbox of one organization in one campaign (R-FIX-1): every source in one list. */
export async function getInbox(db: DbOrTx, user: AuthUser, campaignId: number, orgId: number | undefined) {
  const campaign = await campaignOf(db, campaignId, user);
  const target = orgId ?? (user.role === 'secretary' ? user.orgId : null);
  if (!target) throw new AppError('VALIDATION', '请选择党组织', { field: 'orgId' });
  const [org] = await queryRows<{ path: string }>(db, sql`select path from organizations_v_units where id = ${target}`);
  // Reading rights first, so a denied reader learns nothing about whether the organization reports here.
  assertReadItems(user, { orgId: target, orgPath: org?.path ?? '/none/' });
  const rep = await requireReporter(db, campaignId, target);
  const entries = await inboxEntries(db, user, campaign, rep);
  return {
    campaign: { id: campaign.id, title: campaign.title, year: campaign.year },
    org: { id: rep.orgId, name: rep.orgName },
    entries,
    pending: entries.filter((e) => e.itemId === null).length,
  };
}
