import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../http/schemas';
import { FILING_STATES } from '../../../domain/campaign-phases';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { onReplica } from '../../db/read-replica';
import { assignObservers } from './assign-observers';
import { createVisit } from './create-visit';
import { exportObserverGroups } from './export-observer-groups';
import { exportProgress } from './export-progress';
import { getProgress } from './get-progress';
import { StepPhaseOut } from '../campaigns/schemas';
import { listMyTasks } from './list-my-tasks';
import { listObserverCandidates, listObservers } from './list-observers';
import { listVisits } from './list-visits';
import { recordObservation } from './record-observation';
import { removeObserver } from './remove-observer';
import { updateVisit } from './update-visit';

const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoDate = z.iso.date('日期格式应为 YYYY-MM-DD');
const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);
const Limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);
const Search = z.string().trim().max(100).optional();
const BoolQuery = z.enum(['true', 'false']).transform((v) => v === 'true').optional();
const CAMPAIGN_STATES = ['draft', 'published', 'closed', 'archived'] as const;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string) => `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

const CampaignOut = z.object({
  id: z.number(), parentId: z.number().nullable(), title: z.string(), year: z.number(), state: z.string(),
  organizerOrgId: z.number(), organizerName: z.string(),
});
const PhaseWindow = z.object({ start: z.string().nullable(), end: z.string().nullable(), state: z.string().nullable() }).nullable();
const AssignmentOut = z.object({
  id: z.number(), userId: z.number(), userName: z.string(), username: z.string(), role: z.string(),
  groupName: z.string().nullable(), isLeader: z.boolean(), note: z.string().nullable(),
  subCampaignId: z.number(), subCampaignTitle: z.string(), organizerName: z.string(), organizerLevel: z.string(),
  meeting: PhaseWindow, completeBy: z.string().nullable(), observationNote: z.string().nullable(),
  observedAt: z.string().nullable(), createdAt: z.string(),
});
const GroupOut = z.object({
  groupName: z.string().nullable(), leaderName: z.string().nullable(), members: z.array(z.string()),
  subCampaigns: z.array(z.object({ id: z.number(), organizerName: z.string(), meeting: PhaseWindow, completeBy: z.string().nullable() })),
  assignments: z.number(),
});
const TaskOut = z.object({
  id: z.number(), campaignId: z.number(), campaignTitle: z.string(), senderName: z.string(),
  subCampaignId: z.number(), subCampaignTitle: z.string(), subCampaignState: z.string(), organizerName: z.string(),
  groupName: z.string().nullable(), isLeader: z.boolean(), leaderName: z.string().nullable(), note: z.string().nullable(),
  meeting: PhaseWindow, meetings: z.array(z.object({ title: z.string(), date: z.string(), place: z.string() })),
  completeBy: z.string().nullable(), observationNote: z.string().nullable(), observedAt: z.string().nullable(),
  meetingPhase: StepPhaseOut.nullable(),
});
const VisitOut = z.object({
  id: z.number(), orgId: z.number(), orgName: z.string(), visitedOn: z.string(), visitors: z.string(), seen: z.string(),
  authorId: z.number(), authorName: z.string(), createdAt: z.string(), updatedAt: z.string(),
  problems: z.array(z.object({ id: z.number(), text: z.string() })), canEdit: z.boolean(),
});
const ProgressRowOut = z.object({
  id: z.number(), parentId: z.number().nullable(), depth: z.number(), title: z.string(), year: z.number(),
  state: z.string(), filingState: z.string(), completeBy: z.string().nullable(), overdue: z.boolean(),
  organizerOrgId: z.number(), organizerName: z.string(), organizerLevel: z.string(),
  phasesTotal: z.number(), phasesClosed: z.number(), openPhases: z.array(z.object({ key: z.string(), label: z.string() })),
  /** The next phase still to begin by its dates (R-CAMP-8), or null. */
  waiting: z.object({ key: z.string(), label: z.string(), start: z.string() }).nullable(),
  /** Results due upward (R-SUM-2): this level's 总结 phase end, and whether its summary went up. */
  resultsDue: z.string().nullable(), summaryState: z.string().nullable(), resultsOverdue: z.boolean(),
  reporters: z.number(), observers: z.number(),
});
const ProgressFilter = {
  q: Search,
  state: z.enum(CAMPAIGN_STATES).optional(),
  filing: z.enum(FILING_STATES).optional(),
  overdue: BoolQuery,
};
const Problems = z.array(Text(1000)).max(50);

export async function oversightRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['oversight'];

  // —— Observers (R-CAMP-6) ——
  r.get('/api/campaigns/:id/observers', {
    schema: {
      summary: '观察员选派列表',
      tags, params: IdParams,
      querystring: z.object({ q: Search, groupName: z.string().trim().max(50).optional(), offset: Offset, limit: Limit(200, 50) }),
      response: { 200: z.object({ campaign: CampaignOut, items: z.array(AssignmentOut), total: z.number(), groups: z.array(GroupOut) }) },
    },
  }, async (req) => listObservers(db, requireUser(req), req.params.id, req.query));

  r.get('/api/campaigns/:id/observers/candidates', {
    schema: {
      summary: '可选派的观察员',
      tags, params: IdParams, querystring: z.object({ q: Search }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.number(), displayName: z.string(), username: z.string(), role: z.string(), scopeOrgName: z.string().nullable() })) }) },
    },
  }, async (req) => listObserverCandidates(db, requireUser(req), req.params.id, req.query.q));

  r.get('/api/campaigns/:id/observers/export', { schema: { summary: '导出观察员分组名单（.xlsx）', tags, params: IdParams } }, async (req, reply) => {
    const { name, buffer } = await exportObserverGroups(db, requireUser(req), req.params.id);
    return reply.header('content-type', XLSX).header('content-disposition', disposition(name)).send(buffer);
  });

  r.post('/api/campaigns/:id/observers', {
    schema: {
      summary: '选派观察员',
      tags, params: IdParams,
      body: z.object({
        userIds: z.array(Id).min(1).max(50),
        subCampaignIds: z.array(Id).min(1).max(200),
        groupName: z.string().trim().max(50).nullable().optional(),
        leaderUserId: Id.nullable().optional(),
        note: z.string().trim().max(500).nullable().optional(),
      }).strict(),
      response: { 200: z.object({ created: z.number(), ids: z.array(z.number()) }) },
    },
  }, async (req) => assignObservers(db, requireUser(req), actorOf(req), req.params.id, req.body));

  r.delete('/api/campaigns/:id/observers/:assignmentId', {
    schema: { summary: '撤回观察员', tags, params: z.object({ id: Id, assignmentId: Id }), response: { 200: z.object({ ok: z.boolean() }) } },
  }, async (req) => {
    await removeObserver(db, requireUser(req), actorOf(req), req.params.id, req.params.assignmentId);
    return { ok: true };
  });

  r.get('/api/my/tasks', {
    schema: {
      summary: '我的任务（观察员）',
      tags,
      querystring: z.object({ q: Search, status: z.enum(['pending', 'recorded']).optional(), offset: Offset, limit: Limit(100, 20) }),
      response: { 200: z.object({ items: z.array(TaskOut), total: z.number() }) },
    },
  }, async (req) => listMyTasks(db, requireUser(req), req.query, clock.now()));

  r.post('/api/my/tasks/:id/observation', {
    schema: {
      summary: '填写观察记录',
      tags, params: IdParams, body: z.object({ note: Text(5000) }).strict(),
      response: { 200: z.object({ id: z.number(), observationNote: z.string(), observedAt: z.string() }) },
    },
  }, async (req) => recordObservation(db, requireUser(req), actorOf(req), req.params.id, req.body.note));

  // —— Research visits (R-PREP-2) ——
  r.get('/api/campaigns/:id/visits', {
    schema: {
      summary: '调研走访列表',
      tags, params: IdParams,
      querystring: z.object({ q: Search, orgId: Id.optional(), from: IsoDate.optional(), to: IsoDate.optional(), offset: Offset, limit: Limit(100, 20) }),
      response: { 200: z.object({ campaign: CampaignOut.extend({ organizerPath: z.string() }), items: z.array(VisitOut), total: z.number() }) },
    },
  }, async (req) => listVisits(db, requireUser(req), req.params.id, req.query));

  r.post('/api/campaigns/:id/visits', {
    schema: {
      summary: '新增调研走访',
      tags, params: IdParams,
      body: z.object({ orgId: Id, visitedOn: IsoDate, visitors: Text(200), seen: Text(5000), problems: Problems.default([]) }).strict(),
      response: { 200: z.object({ id: z.number(), problemIds: z.array(z.number()) }) },
    },
  }, async (req) => createVisit(db, requireUser(req), actorOf(req), req.params.id, req.body));

  r.patch('/api/campaigns/:id/visits/:visitId', {
    schema: {
      summary: '修改调研走访',
      tags, params: z.object({ id: Id, visitId: Id }),
      body: z.object({
        orgId: Id.optional(), visitedOn: IsoDate.optional(), visitors: Text(200).optional(), seen: Text(5000).optional(),
        problems: z.array(z.object({ id: Id.optional(), text: Text(1000) }).strict()).max(50).optional(),
      }).strict(),
      response: { 200: z.object({ id: z.number() }) },
    },
  }, async (req) => updateVisit(db, requireUser(req), actorOf(req), req.params.id, req.params.visitId, req.body));

  // —— Progress (R-CAMP-2) ——
  r.get('/api/campaigns/:id/progress', {
    schema: {
      summary: '工作进度（方案树）',
      tags, params: IdParams,
      querystring: z.object({ ...ProgressFilter, offset: Offset, limit: Limit(1000, 50) }),
      response: {
        200: z.object({
          campaign: CampaignOut, today: z.string(),
          summary: z.object({
            total: z.number(), subCampaigns: z.number(), overdue: z.number(),
            byState: z.record(z.string(), z.number()), byFiling: z.record(z.string(), z.number()),
            reporters: z.number(), observers: z.number(),
          }),
          items: z.array(ProgressRowOut), total: z.number(),
        }),
      },
    },
  }, async (req, reply) => onReplica(app.deps.database, db, reply, (rdb) => getProgress(rdb, requireUser(req), clock.now(), req.params.id, req.query)));

  r.get('/api/campaigns/:id/progress/export', {
    schema: { summary: '导出工作进度（.xlsx）', tags, params: IdParams, querystring: z.object(ProgressFilter) },
  }, async (req, reply) => {
    const { name, buffer } = await onReplica(app.deps.database, db, reply, (rdb) => exportProgress(rdb, requireUser(req), clock.now(), req.params.id, req.query));
    return reply.header('content-type', XLSX).header('content-disposition', disposition(name)).send(buffer);
  });
}
