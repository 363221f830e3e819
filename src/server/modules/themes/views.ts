import { sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { campaignOf } from '../rectification/repo';
import { latestJob, type JobRow } from './job';
import { assertOrganizer, assertReadReporter } from './policy';

const TOP = 30;

function jobHead(job: JobRow | null) {
  return (
    job && {
      id: job.id,
      state: job.state,
      progress: job.progress,
      error: job.error,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
    }
  );
}

/** Top themes of the campaign or round across all reporters, for the organizer (chart and drill-down). */
export async function overview(db: DbOrTx, user: AuthUser, campaignId: number, roundId: number | null) {
  const campaign = await campaignOf(db, campaignId, user);
  assertOrganizer(user, campaign.organizerPath);
  const job = await latestJob(db, campaignId, roundId);
  const done = job?.state === 'done' ? job : await latestJob(db, campaignId, roundId, true);
  const r = done?.result ?? null;
  const rounds = await queryRows<{ id: number; title: string }>(
    db,
    sql`
    select br.id, m.title from ballots_v_released_rounds br join meetings_v_meetings m on m.id = br.meeting_id
    where br.campaign_id = ${campaignId} order by br.id`,
  );
  return {
    campaign: { id: campaign.id, title: campaign.title, year: campaign.year },
    rounds,
    job: jobHead(job),
    result: r && {
      jobId: done!.id,
      finishedAt: done!.finishedAt?.toISOString() ?? null,
      total: r.total,
      noProblem: r.noProblem,
      sources: r.sources,
      themes: r.themes.slice(0, TOP).map((t) => ({
        ...t,
        reporters: Object.entries(t.reporters)
          .map(([id, count]) => ({
            reporterId: Number(id),
            orgId: r.reporterNames[id]?.orgId ?? 0,
            orgName: r.reporterNames[id]?.orgName ?? '',
            count,
          }))
          .sort((a, b) => b.count - a.count),
      })),
      more: Math.max(0, r.themes.length - TOP),
      other: r.other,
      copies: r.copies
        .filter((c) => c.suspicious)
        .map((c) => ({
          text: c.text,
          count: c.count,
          reporters: Object.entries(c.reporters).map(([id, count]) => ({
            orgName: r.reporterNames[id]?.orgName ?? '',
            count,
          })),
        })),
      reporters: Object.entries(r.reporterNames).map(([id, n]) => ({
        reporterId: Number(id),
        orgId: n.orgId,
        orgName: n.orgName,
        total: r.reporters[id]?.total ?? 0,
      })),
    },
  };
}

/** One reporter's themes with its own counts and quotes. */
export async function reporterThemes(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  orgId: number,
  roundId: number | null,
) {
  const campaign = await campaignOf(db, campaignId, user);
  await assertReadReporter(db, user, campaignId, campaign.organizerPath, orgId);
  const job = await latestJob(db, campaignId, roundId, true);
  if (!job?.result) throw new AppError('NO_THEMES');
  const entry = Object.entries(job.result.reporterNames).find(([, n]) => n.orgId === orgId);
  if (!entry) throw notFound('述职对象');
  const [reporterId, names] = entry;
  const view = job.result.reporters[reporterId];
  return {
    jobId: job.id,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    campaign: { id: campaign.id, title: campaign.title, year: campaign.year },
    reporterId: Number(reporterId),
    orgId,
    orgName: names.orgName,
    total: view?.total ?? 0,
    noProblem: view?.noProblem ?? 0,
    themes: view?.themes ?? [],
    other: view?.other ?? { count: 0, quotes: [] },
    tags: view?.tags ?? [],
    copies: view?.copies ?? [],
  };
}

/**
 * Themes offered as next year's key content (重点内容, R-CAMP-1): the campaign's largest themes that reach several
 * reporters, worded as a key-content line the organizer may copy into next year's plan.
 */
export async function keyContentSuggestions(db: DbOrTx, user: AuthUser, campaignId: number) {
  const campaign = await campaignOf(db, campaignId, user);
  assertOrganizer(user, campaign.organizerPath);
  const job = await latestJob(db, campaignId, null, true);
  const themes = job?.result?.themes ?? [];
  // Reporters that had any text: a theme that reaches two of them is shared, not one unit's own matter.
  const reporters = Object.keys(job?.result?.reporters ?? {}).length;
  return {
    year: campaign.year + 1,
    suggestions: themes
      .filter((t) => Object.keys(t.reporters).length >= Math.min(2, reporters))
      .slice(0, 8)
      .map((t) => ({
        themeId: t.id,
        label: t.label,
        count: t.count,
        reporters: Object.keys(t.reporters).length,
        text: `针对群众反映较集中的“${t.label}”问题（${Object.keys(t.reporters).length}个单位、${t.count}条意见），作为${campaign.year + 1}年度述职重点内容`,
      })),
  };
}
