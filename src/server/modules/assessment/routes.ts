import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../http/schemas';
import { SECTOR_CODES } from '../../../domain/org-taxonomy';
import { actorOf } from '../../http/audit';
import { sendUpload } from '../../http/download';
import { requireUser } from '../../http/session';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import { completeAssessment, reopenAssessment } from './complete-assessment';
import { createChecklist, createFromTemplate } from './create-checklist';
import { exportScores } from './export-scores';
import { getSheet } from './get-sheet';
import { listChecklists } from './list-checklists';
import { listMyAssignments } from './list-my-assignments';
import { StepPhaseOut } from '../campaigns/schemas';
import { listProgress } from './list-progress';
import { listTeamCandidates, listTeams } from './list-teams';
import { addItem, removeItem, updateItem } from './manage-items';
import { createTeam, removeTeam, updateTeam } from './manage-teams';
import { addPhoto, readPhoto } from './photos';
import { scoreItem } from './score-item';
import { TEMPLATE_KIND_CODES } from './templates';
import { removeChecklist, updateChecklist } from './update-checklist';

const Text = (max: number) => z.string().trim().min(1).max(max);
const Search = z.string().trim().max(100).optional();
const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);
const Limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);
const Ok = z.object({ ok: z.literal(true) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string) => `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

const AppliesTo = z.object({
  tierKeys: z.array(Text(50)).max(50).optional(),
  sectors: z.array(z.enum(SECTOR_CODES)).max(20).optional(),
}).strict();
// Points and methods are checked by the domain (src/domain/checklist.ts) so the messages are the organizers' words.
const Item = z.object({
  section: z.string().max(50), title: z.string().max(200), maxPoints: z.number(), guidance: z.string().max(1000).optional(),
  method: z.string().max(20),
}).strict();
const ItemOut = z.object({
  id: z.number(), checklistId: z.number(), section: z.string(), position: z.number(), title: z.string(), maxPoints: z.number(),
  guidance: z.string(), method: z.string(), methodLabel: z.string(),
});
const SectionOut = z.object({ section: z.string(), items: z.number(), points: z.number() });
const CampaignOut = z.object({ id: z.number(), title: z.string(), year: z.number(), state: z.string(), organizerName: z.string() });
const STATUSES = ['unassigned', 'not_started', 'in_progress', 'completed'] as const;
const ProgressRowOut = z.object({
  reporterId: z.number(), orgId: z.number(), orgName: z.string(), secretaryName: z.string().nullable(), tierKey: z.string(),
  sector: z.string(), teamId: z.number().nullable(), teamName: z.string().nullable(), checklistId: z.number().nullable(),
  checklistTitle: z.string().nullable(), items: z.number(), scored: z.number(), failed: z.number(), score: z.number(),
  maxScored: z.number(), percent: z.number().nullable(), status: z.enum(STATUSES), completedAt: z.string().nullable(),
});
const ProgressFilter = { q: Search, teamId: Id.optional(), status: z.enum(STATUSES).optional() };
const ScoreOut = z.object({
  id: z.number(), itemId: z.number(), score: z.number(), failed: z.boolean(), note: z.string().nullable(), clientId: z.string().nullable(),
  scoredByName: z.string().nullable(), scoredAt: z.string(), photos: z.array(z.object({ id: z.number(), fileName: z.string(), size: z.number() })),
});

export async function assessmentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['assessment'];

  // —— Checklists (考核细则, R-ASSESS-1/2) ——
  r.get('/api/campaigns/:id/checklists', {
    schema: {
      summary: '考核细则列表',
      tags, params: IdParams,
      response: {
        200: z.object({
          campaign: CampaignOut,
          tiers: z.array(z.object({ key: z.string(), label: z.string() })),
          templateKinds: z.array(z.object({ code: z.string(), label: z.string() })),
          checklists: z.array(z.object({
            id: z.number(), title: z.string(), appliesTo: z.object({ tierKeys: z.array(z.string()).optional(), sectors: z.array(z.string()).optional() }), position: z.number(), total: z.number(),
            sections: z.array(SectionOut), items: z.array(ItemOut),
          })),
        }),
      },
    },
  }, async (req) => listChecklists(db(), requireUser(req), req.params.id));

  r.post('/api/campaigns/:id/checklists', {
    schema: {
      summary: '新建考核细则',
      tags, params: IdParams,
      body: z.object({ title: Text(100), appliesTo: AppliesTo.default({}), items: z.array(Item).max(200).default([]) }).strict(),
      response: { 200: z.object({ id: z.number() }) },
    },
  }, async (req) => createChecklist(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.post('/api/campaigns/:id/checklists/from-template', {
    schema: {
      summary: '从模板生成考核细则',
      tags, params: IdParams,
      body: z.object({ kind: z.enum(TEMPLATE_KIND_CODES), appliesTo: AppliesTo.optional() }).strict(),
      response: { 200: z.object({ id: z.number() }) },
    },
  }, async (req) => createFromTemplate(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.patch('/api/checklists/:id', {
    schema: {
      summary: '修改考核细则',
      tags, params: IdParams,
      body: z.object({ title: Text(100).optional(), appliesTo: AppliesTo.optional(), position: z.number().int().min(0).max(1000).optional() }).strict(),
      response: { 200: z.object({ id: z.number() }) },
    },
  }, async (req) => updateChecklist(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.delete('/api/checklists/:id', { schema: { summary: '删除考核细则', tags, params: IdParams, response: { 200: Ok } } },
    async (req) => removeChecklist(db(), requireUser(req), actorOf(req), req.params.id));

  r.post('/api/checklists/:id/items', {
    schema: { summary: '新增考核项目', tags, params: IdParams, body: Item, response: { 200: z.object({ id: z.number() }) } },
  }, async (req) => addItem(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.patch('/api/checklist-items/:id', {
    schema: {
      summary: '修改考核项目',
      tags, params: IdParams, body: Item.partial().extend({ position: z.number().int().min(0).max(1000).optional() }).strict(),
      response: { 200: z.object({ id: z.number() }) },
    },
  }, async (req) => updateItem(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.delete('/api/checklist-items/:id', { schema: { summary: '删除考核项目', tags, params: IdParams, response: { 200: Ok } } },
    async (req) => removeItem(db(), requireUser(req), actorOf(req), req.params.id));

  // —— Teams (考评组) ——
  const TeamBody = z.object({
    name: Text(50), leaderName: z.string().trim().max(50).nullable().optional(),
    memberIds: z.array(Id).max(50).default([]), reporterIds: z.array(Id).max(2000).default([]),
  }).strict();

  r.get('/api/campaigns/:id/assessment-teams', {
    schema: {
      summary: '考评组列表',
      tags, params: IdParams, querystring: z.object({ q: Search, offset: Offset, limit: Limit(200, 50) }),
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.number(), name: z.string(), leaderName: z.string().nullable(),
            members: z.array(z.object({ id: z.number(), displayName: z.string(), username: z.string() })),
            reporters: z.array(z.object({ id: z.number(), orgName: z.string(), completed: z.boolean() })),
            assigned: z.number(), completed: z.number(),
          })),
          total: z.number(),
        }),
      },
    },
  }, async (req) => listTeams(db(), requireUser(req), req.params.id, req.query));

  r.get('/api/campaigns/:id/assessment-teams/candidates', {
    schema: {
      summary: '可选的考评组成员与述职对象',
      tags, params: IdParams, querystring: z.object({ q: Search }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.number(), displayName: z.string(), username: z.string(), scopeOrgName: z.string().nullable() })) }) },
    },
  }, async (req) => listTeamCandidates(db(), requireUser(req), req.params.id, req.query.q));

  r.post('/api/campaigns/:id/assessment-teams', {
    schema: { summary: '新建考评组', tags, params: IdParams, body: TeamBody, response: { 200: z.object({ id: z.number() }) } },
  }, async (req) => createTeam(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.patch('/api/assessment-teams/:id', {
    schema: {
      summary: '修改考评组',
      tags, params: IdParams,
      body: z.object({
        name: Text(50).optional(), leaderName: z.string().trim().max(50).nullable().optional(),
        memberIds: z.array(Id).max(50).optional(), reporterIds: z.array(Id).max(2000).optional(),
      }).strict(),
      response: { 200: z.object({ id: z.number() }) },
    },
  }, async (req) => updateTeam(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.delete('/api/assessment-teams/:id', { schema: { summary: '删除考评组', tags, params: IdParams, response: { 200: Ok } } },
    async (req) => removeTeam(db(), requireUser(req), actorOf(req), req.params.id));

  // —— Progress and export ——
  r.get('/api/campaigns/:id/assessment/progress', {
    schema: {
      summary: '实地考核进度',
      tags, params: IdParams, querystring: z.object({ ...ProgressFilter, offset: Offset, limit: Limit(1000, 50) }),
      response: {
        200: z.object({
          campaign: CampaignOut, items: z.array(ProgressRowOut), total: z.number(), canViewAll: z.boolean(),
          summary: z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()) }),
        }),
      },
    },
  }, async (req) => listProgress(db(), requireUser(req), req.params.id, req.query));

  r.get('/api/campaigns/:id/assessment/export', {
    schema: { summary: '导出实地考核得分（.xlsx）', tags, params: IdParams, querystring: z.object(ProgressFilter) },
  }, async (req, reply) => {
    const { name, buffer } = await exportScores(db(), requireUser(req), req.params.id, req.query);
    return reply.header('content-type', XLSX).header('content-disposition', disposition(name)).send(buffer);
  });

  // —— Scoring (phone) ——
  r.get('/api/assessment/my', {
    schema: {
      summary: '我的实地考核任务（考评组成员）',
      tags,
      response: {
        200: z.object({
          teams: z.array(z.object({
            id: z.number(), name: z.string(), leaderName: z.string().nullable(), campaignId: z.number(), campaignTitle: z.string(),
            /** The phase scoring belongs to (R-CAMP-8): what the team waits for, or until when it scores. */
            phase: StepPhaseOut.nullable(),
            reporters: z.array(z.object({
              reporterId: z.number(), orgName: z.string(), secretaryName: z.string().nullable(), items: z.number(), scored: z.number(),
              failed: z.number(), status: z.enum(STATUSES), completedAt: z.string().nullable(),
            })),
          })),
        }),
      },
    },
  }, async (req) => listMyAssignments(db(), requireUser(req), app.deps.clock.now()));

  r.get('/api/assessment/reporters/:id', {
    schema: {
      summary: '某述职对象的实地考核评分表',
      tags, params: IdParams,
      response: {
        200: z.object({
          reporter: z.object({
            id: z.number(), orgName: z.string(), secretaryName: z.string().nullable(), tierKey: z.string(), teamId: z.number().nullable(),
            teamName: z.string().nullable(), completedAt: z.string().nullable(), completedByName: z.string().nullable(),
          }),
          campaign: z.object({ id: z.number(), title: z.string(), year: z.number(), state: z.string() }),
          checklist: z.object({ id: z.number(), title: z.string(), total: z.number(), sections: z.array(SectionOut) }).nullable(),
          items: z.array(ItemOut),
          scores: z.array(ScoreOut),
          summary: z.object({ items: z.number(), scored: z.number(), failed: z.number(), score: z.number() }),
          canScore: z.boolean(), canReopen: z.boolean(),
        }),
      },
    },
  }, async (req) => getSheet(db(), requireUser(req), req.params.id));

  r.put('/api/assessment/reporters/:id/scores', {
    schema: {
      summary: '保存实地考核评分（按 clientId 幂等）',
      tags, params: IdParams,
      body: z.object({
        itemId: Id, score: z.number(), failed: z.boolean().default(false), note: z.string().max(2000).nullable().optional(),
        clientId: z.uuid(), scoredAt: z.iso.datetime().optional(),
      }).strict(),
      response: {
        200: z.object({
          id: z.number(), itemId: z.number(), score: z.number(), failed: z.boolean(), note: z.string().nullable(), clientId: z.string(),
          scoredAt: z.string(), duplicate: z.boolean(),
        }),
      },
    },
  }, async (req) => scoreItem(db(), requireUser(req), actorOf(req), req.params.id, req.body));

  r.post('/api/assessment/reporters/:id/complete', {
    schema: { summary: '提交实地考核', tags, params: IdParams, response: { 200: z.object({ completedAt: z.string() }) } },
  }, async (req) => completeAssessment(db(), requireUser(req), actorOf(req), req.params.id));

  r.post('/api/assessment/reporters/:id/reopen', {
    schema: { summary: '退回实地考核', tags, params: IdParams, body: z.object({ reason: Text(500) }).strict(), response: { 200: Ok } },
  }, async (req) => reopenAssessment(db(), requireUser(req), actorOf(req), req.params.id, req.body.reason));

  r.post('/api/assessment/reporters/:id/items/:itemId/photos', {
    schema: {
      summary: '上传考核照片',
      tags, params: z.object({ id: Id, itemId: Id }), consumes: ['multipart/form-data'],
      response: { 200: z.object({ id: z.number(), fileName: z.string(), size: z.number() }) },
    },
  }, async (req) => {
    const user = requireUser(req);
    return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.photo, async (file) =>
      addPhoto(db(), user, actorOf(req), req.params.id, req.params.itemId, { name: file.name, content: await readFile(file.path) }));
  });

  r.get('/api/assessment/reporters/:id/photos/:photoId', {
    schema: { summary: '下载考核照片', tags, params: z.object({ id: Id, photoId: Id }) },
  }, async (req, reply) => {
    const p = await readPhoto(db(), requireUser(req), req.params.id, req.params.photoId);
    return sendUpload(reply, p, 'photo', { inlineImages: true });
  });
}
