import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { reporterTier, validateSettings, type CampaignSettings } from '../../../domain/campaign-settings';
import { startPhases, transitionCampaign } from '../../../domain/campaign-phases';
import { assertWithinDeadline, subRoundPlan } from '../../../domain/level-schedule';
import { pathWithin } from '../../../domain/roles';
import type { OrgNode } from '../../../domain/routes';
import type { DbOrTx } from '../../db/connect';
import { campaignReporters, campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { asCampaign, currentSecretaries, getCampaign } from './repo';
import { computeScope, partition } from './scope';
import { presentSummary } from './present';

const WORK_COMMITTEE_KINDS = ['working_committee', 'work_committee', 'organ_working_committee'];

/**
 * The deadline of a lower body's own round, from the organizing stages (R-CAMP-2).
 * The county template (002) has three stages: `townships_systems` (乡镇党委和县直系统党委（总支）, 12-25),
 * `work_committees` (县直工委、社区工委、非公和社会组织工委, 1-15) and `all_levels` (各级, 1-31). So a
 * county-level 工委/党工委/机关工委 gets `work_committees`; a township body (乡镇党委, 街道党工委) or a
 * 系统党委/党总支 gets `townships_systems`. Templates with one stage (001, 004) give every lower body
 * that stage; any other list falls back to its last stage, and no stages means no deadline.
 */
export function stageDeadline(settings: CampaignSettings, body: Pick<OrgNode, 'kind' | 'level'>): string | null {
  const stages = settings.organizing.stages;
  if (stages.length === 0) return null;
  if (stages.length === 1) return stages[0]!.completeBy;
  const key =
    body.level === 'county' && WORK_COMMITTEE_KINDS.includes(body.kind) ? 'work_committees' : 'townships_systems';
  return (stages.find((s) => s.key === key) ?? stages[stages.length - 1]!).completeBy;
}

/**
 * Publishes a draft in one transaction: freezes the reporters that report to the organizer
 * (with their secretary and tier), adds the organizer's own secretary for 下评 (R-CAMP-4), and
 * creates a draft sub-campaign for every lower body that hears the rest (分级开展, R-CAMP-2),
 * each to be filed with this level before it may be published (R-CAMP-3).
 */
export async function publishCampaign(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    const state = transitionCampaign(c.state, 'publish', c.phases);
    if (c.parentId !== null && c.filingState !== 'acknowledged') {
      throw new AppError('FILING_NOT_ACKNOWLEDGED', '本级方案须先报上级备案并经上级确认后才能发布', {
        field: 'filingState',
      });
    }
    const settings = validateSettings(c.settings);
    assertWithinDeadline(settings.phases, c.completeBy);
    const scope = await computeScope(tx, { settings, scopeMatch: c.scopeMatch, organizer }, { strict: true });
    if (scope.noRoute.length) {
      const names = scope.noRoute.map((i) => scope.byId.get(i)!.name);
      throw new AppError(
        'ROUTE_MISSING',
        `以下党组织没有上级党组织，也没有适用的述职路由：${names.slice(0, 5).join('、')}${names.length > 5 ? `等${names.length}个` : ''}`,
        { field: 'routes' },
      );
    }
    const { direct, parts } = partition(scope, organizer.id);

    const bodies = [...parts.keys()].map((b) => scope.byId.get(b)!);
    const outside = bodies.find((b) => !pathWithin(b.path, user.scopePath));
    if (outside) {
      throw new AppError(
        'ROUTE_OUTSIDE_SCOPE',
        `述职路由把部分党组织交由「${outside.name}」听取，但该组织不在您的管理范围内`,
        { field: 'routes' },
      );
    }
    if (bodies.length) {
      const taken = await tx
        .select({ orgId: campaigns.organizerOrgId })
        .from(campaigns)
        .where(
          and(
            eq(campaigns.year, c.year),
            inArray(
              campaigns.organizerOrgId,
              bodies.map((b) => b.id),
            ),
          ),
        );
      if (taken.length) {
        const names = taken.map((t) => scope.byId.get(t.orgId)!.name);
        throw new AppError(
          'SUBCAMPAIGN_EXISTS',
          `${names.join('、')}已有${c.year}年度的述职评议考核，不能再为其生成分级开展的方案；请先调整述职范围或路由`,
          { field: 'scope', orgIds: taken.map((t) => t.orgId) },
        );
      }
    }

    const downward = settings.meeting.downwardReview;
    const secs = await currentSecretaries(tx, [...direct, organizer.id]);
    const rows = direct.map((orgId) => {
      const org = scope.byId.get(orgId)!;
      const tier = reporterTier(settings, org);
      const route = scope.routes.get(orgId)!;
      return {
        campaignId: c.id,
        orgId,
        reportToOrgId: organizer.id,
        routeRuleIndex: route.ruleIndex,
        role: 'reporter',
        secretaryId: secs.get(orgId)?.id ?? null,
        tierKey: tier.key,
        writtenOnly: tier.writtenOnlyAllowed,
        createdAt: actor.at,
      };
    });
    if (downward) {
      const self = scope.byId.get(organizer.id)!;
      const tier = reporterTier(settings, self);
      rows.push({
        campaignId: c.id,
        orgId: organizer.id,
        reportToOrgId: organizer.id,
        routeRuleIndex: null,
        role: 'downward',
        secretaryId: secs.get(organizer.id)?.id ?? null,
        tierKey: tier.key,
        writtenOnly: false,
        createdAt: actor.at,
      });
    }
    for (let i = 0; i < rows.length; i += 500) await tx.insert(campaignReporters).values(rows.slice(i, i + 500));

    const subs = [];
    for (const body of bodies) {
      const orgIds = parts.get(body.id)!;
      const completeBy = stageDeadline(settings, body);
      // Each level's phases come from its own deadline, not a copy of this level's dates (R-CAMP-8).
      const phasePlan = completeBy
        ? subRoundPlan({
            parent: settings.phases,
            deadline: completeBy,
            mode: settings.organizing.mode,
            resultsDueDate: settings.summary.resultsDueDate,
            dueDaysBeforeMeeting: settings.report.dueDaysBeforeMeeting,
          })
        : settings.phases;
      const childSettings: CampaignSettings = { ...settings, scopePlan: [], phases: phasePlan };
      const sub = (
        await tx
          .insert(campaigns)
          .values({
            parentId: c.id,
            organizerOrgId: body.id,
            year: c.year,
            templateId: c.templateId,
            title: `${c.year}年度${body.name}党组织书记抓基层党建工作述职评议考核`,
            settings: childSettings,
            phases: startPhases(childSettings.phases),
            scopeMatch: { orgIds },
            filingState: 'pending',
            completeBy,
            createdBy: user.id,
            createdAt: actor.at,
            updatedAt: actor.at,
          })
          .returning({ id: campaigns.id })
      )[0]!;
      await writeAudit(tx, actor, {
        action: 'campaign.subcampaign.create',
        targetType: 'campaign',
        targetId: sub.id,
        scopePath: body.path,
        detail: { parentId: c.id, organizer: body.name, orgCount: orgIds.length, completeBy, phases: phasePlan },
      });
      subs.push({ id: sub.id, organizer: { id: body.id, name: body.name }, completeBy, orgCount: orgIds.length });
    }

    const row = (
      await tx
        .update(campaigns)
        .set({ state, settings, publishedAt: actor.at, updatedAt: actor.at })
        .where(eq(campaigns.id, c.id))
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'campaign.publish',
      targetType: 'campaign',
      targetId: c.id,
      scopePath: organizer.path,
      detail: {
        reporters: direct.length,
        downward,
        scopeTotal: scope.scopeIds.length,
        subCampaigns: subs.map((s) => s.id),
      },
    });
    return {
      campaign: presentSummary(asCampaign(row), organizer),
      reporters: direct.length,
      downward: downward ? 1 : 0,
      subCampaigns: subs,
    };
  });
}
