import { assertPhaseOpen } from '../campaigns/phase-gate';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import { readZipUpload, XLSX_ZIP } from '../../uploads/zip-check';
import { resetFinalGrade, reviewSuggestion, setFinalGrade, setOpinion } from './decide';
import { getEvaluation, gradeHistory, listInputs } from './get-evaluation';
import { importInputs, inputsTemplate, saveInputs } from './inputs';
import { lockEvaluation, previewLock } from './lock';
import { myResult } from './my-result';
import { assertManage } from './policy';
import { recomputeEvaluation } from './recompute';
import { evaluationContext } from './repo';
import { IdParams } from '../../http/schemas';
import {
  ChangedOut,
  DecisionBody,
  EvaluationOut,
  EvaluationQuery,
  HistoryOut,
  InputsBody,
  InputsOut,
  LockBody,
  LockedOut,
  LockPreviewOut,
  LockQuery,
  MineOut,
  Ok,
  OpinionBody,
  ReporterParams,
  ReviewBody,
  SavedOut,
  SummaryOut,
} from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 综合评价 (R-GRADE-1…5): inputs, recompute, committee decision, reviews, lock; the secretary's own result. */
export async function evaluationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['evaluation'];
  const base = '/api/campaigns/:id/evaluation';

  r.get(
    base,
    {
      schema: {
        summary: '综合评价（得分、建议等次、比例）',
        tags,
        params: IdParams,
        querystring: EvaluationQuery,
        response: { 200: EvaluationOut },
      },
    },
    async (req) => getEvaluation(db(), requireUser(req), req.params.id, req.query),
  );

  r.post(
    `${base}/recompute`,
    {
      schema: { summary: '重新计算综合评价', tags, params: IdParams, response: { 200: SummaryOut } },
    },
    async (req) => {
      const user = requireUser(req);
      const { organizerPath } = await evaluationContext(db(), req.params.id, { viewer: user });
      assertManage(user, organizerPath);
      const actor = actorOf(req);
      await assertPhaseOpen(db(), req.params.id, 'evaluation.compute', actor.at);
      return recomputeEvaluation(db(), req.params.id, { actor, now: actor.at });
    },
  );

  r.get(
    `${base}/inputs`,
    {
      schema: { summary: '平时掌握等评价信息', tags, params: IdParams, response: { 200: InputsOut } },
    },
    async (req) => listInputs(db(), requireUser(req), req.params.id),
  );

  r.put(
    `${base}/inputs`,
    {
      schema: {
        summary: '录入平时掌握等评价信息',
        tags,
        params: IdParams,
        body: InputsBody,
        response: { 200: SavedOut },
      },
    },
    async (req) =>
      saveInputs(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.body.rows.map((x) => ({
          reporterId: x.reporterId,
          dailyScore: x.dailyScore,
          dailyNote: x.dailyNote ?? null,
          reportScore: x.reportScore ?? null,
          reportNote: x.reportNote ?? null,
          majorError: x.majorError,
          majorErrorNote: x.majorErrorNote ?? null,
          accountability: x.accountability,
          accountabilityNote: x.accountabilityNote ?? null,
        })),
      ),
  );

  r.get(
    `${base}/inputs/template.xlsx`,
    {
      schema: { summary: '评价信息导入模板（.xlsx）', tags, params: IdParams },
    },
    async (req, reply) => {
      const buf = await inputsTemplate(db(), requireUser(req), req.params.id);
      reply
        .header('content-type', XLSX)
        .header(
          'content-disposition',
          `attachment; filename="inputs.xlsx"; filename*=UTF-8''${encodeURIComponent('平时掌握等录入表.xlsx')}`,
        );
      return reply.send(buf);
    },
  );

  r.post(
    `${base}/inputs/import`,
    {
      schema: {
        summary: '导入评价信息（.xlsx，全部或全不）',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: SavedOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.xlsx, async (file) =>
        importInputs(db(), user, actorOf(req), req.params.id, await readZipUpload(file, XLSX_ZIP)),
      );
    },
  );

  r.put(
    `${base}/results/:reporterId/decision`,
    {
      schema: {
        summary: '确定某述职对象的等次',
        tags,
        params: ReporterParams,
        body: DecisionBody,
        response: { 200: ChangedOut },
      },
    },
    async (req) =>
      setFinalGrade(db(), requireUser(req), actorOf(req), req.params.id, req.params.reporterId, {
        grade: req.body.grade,
        reason: req.body.reason ?? null,
      }),
  );

  r.delete(
    `${base}/results/:reporterId/decision`,
    {
      schema: { summary: '撤销某述职对象的等次决定', tags, params: ReporterParams, response: { 200: ChangedOut } },
    },
    async (req) => resetFinalGrade(db(), requireUser(req), actorOf(req), req.params.id, req.params.reporterId),
  );

  r.put(
    `${base}/results/:reporterId/opinion`,
    {
      schema: { summary: '填写综合评价意见', tags, params: ReporterParams, body: OpinionBody, response: { 200: Ok } },
    },
    async (req) => {
      await setOpinion(db(), requireUser(req), actorOf(req), req.params.id, req.params.reporterId, {
        achievements: req.body.achievements ?? null,
        problems: req.body.problems ?? null,
        direction: req.body.direction ?? null,
      });
      return { ok: true as const };
    },
  );

  r.put(
    `${base}/results/:reporterId/review`,
    {
      schema: { summary: '党委成员表态', tags, params: ReporterParams, body: ReviewBody, response: { 200: Ok } },
    },
    async (req) => {
      await reviewSuggestion(db(), requireUser(req), actorOf(req), req.params.id, req.params.reporterId, req.body);
      return { ok: true as const };
    },
  );

  r.get(
    `${base}/results/:reporterId/history`,
    {
      schema: { summary: '某述职对象的等次变更记录', tags, params: ReporterParams, response: { 200: HistoryOut } },
    },
    async (req) => gradeHistory(db(), requireUser(req), req.params.id, req.params.reporterId),
  );

  r.get(
    `${base}/lock`,
    {
      schema: {
        summary: '锁定前检查',
        tags,
        params: IdParams,
        querystring: LockQuery,
        response: { 200: LockPreviewOut },
      },
    },
    async (req) => previewLock(db(), requireUser(req), req.params.id, req.query.lowerSharePercent),
  );

  r.post(
    `${base}/lock`,
    {
      schema: { summary: '锁定综合评价结果', tags, params: IdParams, body: LockBody, response: { 200: LockedOut } },
    },
    async (req) =>
      lockEvaluation(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.body.decisionNote,
        req.body.lowerSharePercent,
      ),
  );

  r.get(
    `${base}/mine`,
    {
      schema: { summary: '本人的综合评价结果（书记，锁定后）', tags, params: IdParams, response: { 200: MineOut } },
    },
    async (req) => myResult(db(), requireUser(req), req.params.id),
  );
}
