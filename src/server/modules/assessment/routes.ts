import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../http/schemas';
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
import { listProgress } from './list-progress';
import { listTeamCandidates, listTeams } from './list-teams';
import { addItem, removeItem, updateItem } from './manage-items';
import { createTeam, removeTeam, updateTeam } from './manage-teams';
import { addPhoto, readPhoto } from './photos';
import { scoreItem } from './score-item';
import { TEMPLATE_KIND_CODES } from './templates';
import { removeChecklist, updateChecklist } from './update-checklist';
import {
  AppliesTo,
  CandidatesOut,
  CandidatesQuery,
  ChecklistIn,
  ChecklistPatch,
  ChecklistsOut,
  CompletedOut,
  IdOut,
  Item,
  ItemPatch,
  MyAssignmentsOut,
  Ok,
  PhotoOut,
  ProgressFilterQuery,
  ProgressOut,
  ProgressQuery,
  ReopenIn,
  SavedScoreOut,
  ScoreIn,
  SheetOut,
  TeamBody,
  TeamPatch,
  TeamsOut,
  TeamsQuery,
} from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string) =>
  `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function assessmentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['assessment'];

  // —— Checklists (考核细则, R-ASSESS-1/2) ——
  r.get(
    '/api/campaigns/:id/checklists',
    {
      schema: {
        summary: '考核细则列表',
        tags,
        params: IdParams,
        response: { 200: ChecklistsOut },
      },
    },
    async (req) => listChecklists(db(), requireUser(req), req.params.id),
  );

  r.post(
    '/api/campaigns/:id/checklists',
    {
      schema: {
        summary: '新建考核细则',
        tags,
        params: IdParams,
        body: ChecklistIn,
        response: { 200: IdOut },
      },
    },
    async (req) => createChecklist(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/campaigns/:id/checklists/from-template',
    {
      schema: {
        summary: '从模板生成考核细则',
        tags,
        params: IdParams,
        body: z.object({ kind: z.enum(TEMPLATE_KIND_CODES), appliesTo: AppliesTo.optional() }).strict(),
        response: { 200: IdOut },
      },
    },
    async (req) => createFromTemplate(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.patch(
    '/api/checklists/:id',
    {
      schema: {
        summary: '修改考核细则',
        tags,
        params: IdParams,
        body: ChecklistPatch,
        response: { 200: IdOut },
      },
    },
    async (req) => updateChecklist(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/checklists/:id',
    { schema: { summary: '删除考核细则', tags, params: IdParams, response: { 200: Ok } } },
    async (req) => removeChecklist(db(), requireUser(req), actorOf(req), req.params.id),
  );

  r.post(
    '/api/checklists/:id/items',
    {
      schema: { summary: '新增考核项目', tags, params: IdParams, body: Item, response: { 200: IdOut } },
    },
    async (req) => addItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.patch(
    '/api/checklist-items/:id',
    {
      schema: {
        summary: '修改考核项目',
        tags,
        params: IdParams,
        body: ItemPatch,
        response: { 200: IdOut },
      },
    },
    async (req) => updateItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/checklist-items/:id',
    { schema: { summary: '删除考核项目', tags, params: IdParams, response: { 200: Ok } } },
    async (req) => removeItem(db(), requireUser(req), actorOf(req), req.params.id),
  );

  // —— Teams (考评组) ——
  r.get(
    '/api/campaigns/:id/assessment-teams',
    {
      schema: {
        summary: '考评组列表',
        tags,
        params: IdParams,
        querystring: TeamsQuery,
        response: { 200: TeamsOut },
      },
    },
    async (req) => listTeams(db(), requireUser(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/assessment-teams/candidates',
    {
      schema: {
        summary: '可选的考评组成员与述职对象',
        tags,
        params: IdParams,
        querystring: CandidatesQuery,
        response: { 200: CandidatesOut },
      },
    },
    async (req) => listTeamCandidates(db(), requireUser(req), req.params.id, req.query.q),
  );

  r.post(
    '/api/campaigns/:id/assessment-teams',
    {
      schema: { summary: '新建考评组', tags, params: IdParams, body: TeamBody, response: { 200: IdOut } },
    },
    async (req) => createTeam(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.patch(
    '/api/assessment-teams/:id',
    {
      schema: {
        summary: '修改考评组',
        tags,
        params: IdParams,
        body: TeamPatch,
        response: { 200: IdOut },
      },
    },
    async (req) => updateTeam(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/assessment-teams/:id',
    { schema: { summary: '删除考评组', tags, params: IdParams, response: { 200: Ok } } },
    async (req) => removeTeam(db(), requireUser(req), actorOf(req), req.params.id),
  );

  // —— Progress and export ——
  r.get(
    '/api/campaigns/:id/assessment/progress',
    {
      schema: {
        summary: '实地考核进度',
        tags,
        params: IdParams,
        querystring: ProgressQuery,
        response: { 200: ProgressOut },
      },
    },
    async (req) => listProgress(db(), requireUser(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/assessment/export',
    {
      schema: { summary: '导出实地考核得分（.xlsx）', tags, params: IdParams, querystring: ProgressFilterQuery },
    },
    async (req, reply) => {
      const { name, buffer } = await exportScores(db(), requireUser(req), req.params.id, req.query);
      return reply.header('content-type', XLSX).header('content-disposition', disposition(name)).send(buffer);
    },
  );

  // —— Scoring (phone) ——
  r.get(
    '/api/assessment/my',
    {
      schema: {
        summary: '我的实地考核任务（考评组成员）',
        tags,
        response: { 200: MyAssignmentsOut },
      },
    },
    async (req) => listMyAssignments(db(), requireUser(req), app.deps.clock.now()),
  );

  r.get(
    '/api/assessment/reporters/:id',
    {
      schema: {
        summary: '某述职对象的实地考核评分表',
        tags,
        params: IdParams,
        response: { 200: SheetOut },
      },
    },
    async (req) => getSheet(db(), requireUser(req), req.params.id),
  );

  r.put(
    '/api/assessment/reporters/:id/scores',
    {
      schema: {
        summary: '保存实地考核评分（按 clientId 幂等）',
        tags,
        params: IdParams,
        body: ScoreIn,
        response: { 200: SavedScoreOut },
      },
    },
    async (req) => scoreItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/assessment/reporters/:id/complete',
    {
      schema: { summary: '提交实地考核', tags, params: IdParams, response: { 200: CompletedOut } },
    },
    async (req) => completeAssessment(db(), requireUser(req), actorOf(req), req.params.id),
  );

  r.post(
    '/api/assessment/reporters/:id/reopen',
    {
      schema: { summary: '退回实地考核', tags, params: IdParams, body: ReopenIn, response: { 200: Ok } },
    },
    async (req) => reopenAssessment(db(), requireUser(req), actorOf(req), req.params.id, req.body.reason),
  );

  r.post(
    '/api/assessment/reporters/:id/items/:itemId/photos',
    {
      schema: {
        summary: '上传考核照片',
        tags,
        params: z.object({ id: Id, itemId: Id }),
        consumes: ['multipart/form-data'],
        response: { 200: PhotoOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.photo, async (file) =>
        addPhoto(db(), user, actorOf(req), req.params.id, req.params.itemId, {
          name: file.name,
          content: await readFile(file.path),
        }),
      );
    },
  );

  r.get(
    '/api/assessment/reporters/:id/photos/:photoId',
    {
      schema: { summary: '下载考核照片', tags, params: z.object({ id: Id, photoId: Id }) },
    },
    async (req, reply) => {
      const p = await readPhoto(db(), requireUser(req), req.params.id, req.params.photoId);
      return sendUpload(reply, p, 'photo', { inlineImages: true });
    },
  );
}
