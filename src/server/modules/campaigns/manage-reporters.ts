import { and, eq, inArray, isNull } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { reporterTier } from '../../../domain/campaign-settings';
import { onBranch, pathWithin } from '../../../domain/roles';
import { orgMatches, type OrgMatch } from '../../../domain/routes';
import type { DbOrTx } from '../../db/connect';
import { campaignReporters, campaigns } from '../../db/schema';
import { orgUnits } from '../organizations/row-sources';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { cnRange } from '../../../domain/campaign-phases';
import { shanghaiDate } from '../../../domain/calendar';
import { assertWrite } from './policy';
import { currentSecretaries, getCampaign, loadTree, type Campaign, type TreeOrg } from './repo';

function assertPublished(c: Campaign) {
  if (c.state !== 'published') {
    throw new AppError('CAMPAIGN_NOT_PUBLISHED', '只有已发布、尚未结束的述职评议考核才能调整述职对象', {
      field: 'state',
    });
  }
}

async function getReporter(db: DbOrTx, campaignId: number, rid: number) {
  const [row] = await db
    .select()
    .from(campaignReporters)
    .where(and(eq(campaignReporters.id, rid), eq(campaignReporters.campaignId, campaignId)));
  if (!row) throw notFound('述职对象');
  return row;
}

/**
 * The sub-campaign (at any depth below) that already hears the organization, so that adding it here
 * too would have it report twice (R-ORG-3). A draft's scope is its criteria; once published, its
 * frozen reporters list is what counts, so an organization it removed may report here instead.
 */
async function heardBySubCampaign(db: DbOrTx, campaignId: number, tree: TreeOrg[], org: TreeOrg) {
  const byId = new Map(tree.map((o) => [o.id, o]));
  let level = [campaignId];
  while (level.length) {
    const subs = await db
      .select({
        id: campaigns.id,
        state: campaigns.state,
        scopeMatch: campaigns.scopeMatch,
        organizerName: orgUnits.name,
      })
      .from(campaigns)
      .innerJoin(orgUnits, eq(orgUnits.id, campaigns.organizerOrgId))
      .where(inArray(campaigns.parentId, level))
      .orderBy(orgUnits.depth, orgUnits.code);
    if (!subs.length) return null;
    const drafts = subs.filter((x) => x.state === 'draft' && orgMatches(byId, org, x.scopeMatch as OrgMatch));
    if (drafts.length) return drafts[0];
    const [listed] = await db
      .select({ campaignId: campaignReporters.campaignId })
      .from(campaignReporters)
      .where(
        and(
          inArray(
            campaignReporters.campaignId,
            subs.map((x) => x.id),
          ),
          eq(campaignReporters.orgId, org.id),
          eq(campaignReporters.role, 'reporter'),
          isNull(campaignReporters.removedAt),
        ),
      );
    if (listed) return subs.find((x) => x.id === listed.campaignId)!;
    level = subs.map((x) => x.id);
  }
  return null;
}

/** A scope change after publication: one organization added, with the reason audited (R-ORG-3). */
export async function addReporter(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  orgId: number,
  reason: string,
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    assertPublished(c);
    const tree = await loadTree(tx, organizer.path);
    const org = tree.find((o) => o.id === orgId);
    // Another county's organization is answered as a missing one: its name must not come back (issue 15).
    if (!org || !onBranch(org.path, user.scopePath))
      throw new AppError('UNKNOWN_ORG', '该党组织不存在或不在本组织体系内', { field: 'orgId' });
    if (!pathWithin(org.path, user.scopePath)) throw new AppError('FORBIDDEN', `「${org.name}」不在您的管理范围内`);
    if (organizer.path.startsWith(org.path)) {
      throw new AppError('INVALID_REPORTER', '组织单位本身及其上级不能作为述职对象', { field: 'orgId' });
    }
    const tier = reporterTier(c.settings, org);
    const secretary = (await currentSecretaries(tx, [orgId])).get(orgId) ?? null;
    const [existing] = await tx
      .select()
      .from(campaignReporters)
      .where(
        and(
          eq(campaignReporters.campaignId, id),
          eq(campaignReporters.orgId, orgId),
          eq(campaignReporters.role, 'reporter'),
        ),
      );
    if (existing && existing.removedAt === null) {
      throw new AppError('REPORTER_EXISTS', `「${org.name}」已在本次述职名单中，不能重复添加`, { field: 'orgId' });
    }
    const sub = await heardBySubCampaign(tx, id, tree, org);
    if (sub) {
      throw new AppError(
        'REPORTER_IN_SUBCAMPAIGN',
        `「${org.name}」已在「${sub.organizerName}」分级开展的述职评议考核范围内，由其听取述职，不能再向本级述职；如需改为向本级述职，请先由「${sub.organizerName}」将其移出述职范围`,
        { field: 'orgId', subCampaignId: sub.id },
      );
    }
    const values = {
      reportToOrgId: organizer.id,
      routeRuleIndex: null,
      secretaryId: secretary?.id ?? null,
      tierKey: tier.key,
      writtenOnly: tier.writtenOnlyAllowed,
      removedAt: null,
      removedReason: null,
    };
    // Re-adding keeps the one row per organization and role; the audit log keeps the removal.
    const row = (
      existing
        ? await tx.update(campaignReporters).set(values).where(eq(campaignReporters.id, existing.id)).returning()
        : await tx
            .insert(campaignReporters)
            .values({ ...values, campaignId: id, orgId, role: 'reporter', createdAt: actor.at })
            .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'campaign.reporter.add',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { reporterId: row.id, orgId, org: org.name, reason, readded: !!existing },
    });
    return { id: row.id };
  });
}

/** Removal keeps the row with when and why, so the reporter never disappears silently (R-ORG-3). */
export async function removeReporter(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  rid: number,
  reason: string,
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    assertPublished(c);
    const r = await getReporter(tx, id, rid);
    if (r.removedAt) throw new AppError('REPORTER_REMOVED');
    await tx
      .update(campaignReporters)
      .set({ removedAt: actor.at, removedReason: reason })
      .where(eq(campaignReporters.id, rid));
    await writeAudit(tx, actor, {
      action: 'campaign.reporter.remove',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { reporterId: rid, orgId: r.orgId, role: r.role, reason },
    });
    return { id: rid };
  });
}

export interface SelfCommitteeInput {
  date: string;
  /** The committee's rating ballots by grade. */
  ratings: { good: number; fair: number; average: number; poor: number };
  participants?: number | null;
  note?: string | null;
}

/**
 * Who may keep a reporter's 向本级党委述职 record: the organizer's admins, and the reporter's own side (its secretary,
 * or an admin whose scope holds the reporting organization), who file it upward.
 */
async function selfCommitteeContext(tx: DbOrTx, user: AuthUser, id: number, rid: number) {
  const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
  const r = await getReporter(tx, id, rid);
  const [org] = await tx
    .select({ path: orgUnits.path, name: orgUnits.name })
    .from(orgUnits)
    .where(eq(orgUnits.id, r.orgId));
  const own =
    (user.role === 'secretary' && user.orgId === r.orgId) ||
    (user.role === 'org_admin' && pathWithin(org!.path, user.scopePath));
  if (!own) assertWrite(user, organizer.path);
  assertPublished(c);
  if (!c.settings.meeting.selfCommitteeReport.enabled) {
    throw new AppError('SELF_COMMITTEE_DISABLED', '本次方案未要求向本级党委述职', {
      field: 'meeting.selfCommitteeReport',
    });
  }
  if (r.removedAt) throw new AppError('REPORTER_REMOVED');
  return { c, organizer, r, org: org! };
}

/**
 * 向本级党委述职 (R-CAMP-5) as a record: the day (within the campaign), the committee's rating results and a note.
 * Editable until filed upward.
 */
export async function recordSelfCommittee(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  rid: number,
  input: SelfCommitteeInput,
) {
  return db.transaction(async (tx) => {
    const { c, organizer, r, org } = await selfCommitteeContext(tx, user, id, rid);
    if (r.selfCommitteeFiledAt) throw new AppError('SELF_COMMITTEE_FILED');
    const day = shanghaiDate(actor.at);
    const { date } = input;
    if (date > day) throw new AppError('VALIDATION', '述职日期不能晚于今天', { field: 'date' });
    const first = c.phases.reduce((m, p) => (p.start < m ? p.start : m), c.phases[0]!.start);
    const last = c.phases.reduce((m, p) => (p.end > m ? p.end : m), c.phases[0]!.end);
    if (date < first || date > last) {
      throw new AppError('VALIDATION', `述职日期应在本次述职评议考核期间（${cnRange(first, last)}）`, {
        field: 'date',
      });
    }
    const { ratings } = input;
    const total = ratings.good + ratings.fair + ratings.average + ratings.poor;
    if (total === 0)
      throw new AppError('VALIDATION', '请填写本级党委评议测评的结果（各等次票数）', { field: 'ratings' });
    if (input.participants != null && input.participants < total) {
      throw new AppError('VALIDATION', `参加评议人数（${input.participants}）少于测评票数（${total}）`, {
        field: 'participants',
      });
    }
    const self = c.settings.meeting.selfCommitteeReport;
    const late = self.completeBy !== null && date > self.completeBy;
    await tx
      .update(campaignReporters)
      .set({
        selfCommitteeReportedOn: date,
        selfCommitteeRatings: ratings,
        selfCommitteeParticipants: input.participants ?? null,
        selfCommitteeNote: input.note?.trim() || null,
      })
      .where(eq(campaignReporters.id, rid));
    await writeAudit(tx, actor, {
      action: 'campaign.reporter.self_committee',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: {
        reporterId: rid,
        orgId: r.orgId,
        org: org.name,
        date,
        ratings,
        participants: input.participants ?? null,
        previous: r.selfCommitteeReportedOn,
        late,
      },
    });
    return { id: rid, selfCommitteeReportedOn: date, late };
  });
}

/** Files the record with the organizer's organization department (004: 评议测评结果报市委组织部备案). */
export async function fileSelfCommittee(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, rid: number) {
  return db.transaction(async (tx) => {
    const { organizer, r, org } = await selfCommitteeContext(tx, user, id, rid);
    if (!r.selfCommitteeReportedOn || !r.selfCommitteeRatings) {
      throw new AppError('SELF_COMMITTEE_MISSING');
    }
    if (r.selfCommitteeFiledAt) throw new AppError('SELF_COMMITTEE_FILED', '向本级党委述职情况已报备');
    await tx
      .update(campaignReporters)
      .set({ selfCommitteeFiledAt: actor.at, selfCommitteeFiledBy: user.id })
      .where(eq(campaignReporters.id, rid));
    await writeAudit(tx, actor, {
      action: 'campaign.reporter.self_committee.file',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: {
        reporterId: rid,
        orgId: r.orgId,
        org: org.name,
        date: r.selfCommitteeReportedOn,
        ratings: r.selfCommitteeRatings,
      },
    });
    return { id: rid, filedAt: actor.at.toISOString() };
  });
}
