import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../http/schemas';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { onReplica } from '../../db/read-replica';
import { assignObservers } from './assign-observers';
import { createVisit } from './create-visit';
import { exportObserverGroups } from './export-observer-groups';
import { exportProgress } from './export-progress';
import { getProgress } from './get-progress';
import { listMyTasks } from './list-my-tasks';
import { listObserverCandidates, listObservers } from './list-observers';
import { listVisits } from './list-visits';
import { recordObservation } from './record-observation';
import { removeObserver } from './remove-observer';
import { updateVisit } from './update-visit';
import {
  AssignIn,
  AssignmentParams,
  AssignOut,
  CandidatesOut,
  CandidatesQuery,
  IdOut,
  ObservationIn,
  ObservationOut,
  ObserversOut,
  ObserversQuery,
  OkOut,
  ProgressFilterQuery,
  ProgressOut,
  ProgressQuery,
  TasksOut,
  TasksQuery,
  VisitCreatedOut,
  VisitIn,
  VisitParams,
  VisitPatchIn,
  VisitsOut,
  VisitsQuery,
} from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string) =>
  `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function oversightRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['oversight'];

  // —— Observers (R-CAMP-6) ——
  r.get(
    '/api/campaigns/:id/observers',
    {
      schema: {
        summary: '观察员选派列表',
        tags,
        params: IdParams,
        querystring: ObserversQuery,
        response: { 200: ObserversOut },
      },
    },
    async (req) => listObservers(db, requireUser(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/observers/candidates',
    {
      schema: {
        summary: '可选派的观察员',
        tags,
        params: IdParams,
        querystring: CandidatesQuery,
        response: { 200: CandidatesOut },
      },
    },
    async (req) => listObserverCandidates(db, requireUser(req), req.params.id, req.query.q),
  );

  r.get(
    '/api/campaigns/:id/observers/export',
    { schema: { summary: '导出观察员分组名单（.xlsx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await exportObserverGroups(db, requireUser(req), req.params.id);
      return reply.header('content-type', XLSX).header('content-disposition', disposition(name)).send(buffer);
    },
  );

  r.post(
    '/api/campaigns/:id/observers',
    {
      schema: {
        summary: '选派观察员',
        tags,
        params: IdParams,
        body: AssignIn,
        response: { 200: AssignOut },
      },
    },
    async (req) => assignObservers(db, requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/campaigns/:id/observers/:assignmentId',
    {
      schema: { summary: '撤回观察员', tags, params: AssignmentParams, response: { 200: OkOut } },
    },
    async (req) => {
      await removeObserver(db, requireUser(req), actorOf(req), req.params.id, req.params.assignmentId);
      return { ok: true };
    },
  );

  r.get(
    '/api/my/tasks',
    {
      schema: {
        summary: '我的任务（观察员）',
        tags,
        querystring: TasksQuery,
        response: { 200: TasksOut },
      },
    },
    async (req) => listMyTasks(db, requireUser(req), req.query, clock.now()),
  );

  r.post(
    '/api/my/tasks/:id/observation',
    {
      schema: {
        summary: '填写观察记录',
        tags,
        params: IdParams,
        body: ObservationIn,
        response: { 200: ObservationOut },
      },
    },
    async (req) => recordObservation(db, requireUser(req), actorOf(req), req.params.id, req.body.note),
  );

  // —— Research visits (R-PREP-2) ——
  r.get(
    '/api/campaigns/:id/visits',
    {
      schema: {
        summary: '调研走访列表',
        tags,
        params: IdParams,
        querystring: VisitsQuery,
        response: { 200: VisitsOut },
      },
    },
    async (req) => listVisits(db, requireUser(req), req.params.id, req.query),
  );

  r.post(
    '/api/campaigns/:id/visits',
    {
      schema: {
        summary: '新增调研走访',
        tags,
        params: IdParams,
        body: VisitIn,
        response: { 200: VisitCreatedOut },
      },
    },
    async (req) => createVisit(db, requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.patch(
    '/api/campaigns/:id/visits/:visitId',
    {
      schema: {
        summary: '修改调研走访',
        tags,
        params: VisitParams,
        body: VisitPatchIn,
        response: { 200: IdOut },
      },
    },
    async (req) => updateVisit(db, requireUser(req), actorOf(req), req.params.id, req.params.visitId, req.body),
  );

  // —— Progress (R-CAMP-2) ——
  r.get(
    '/api/campaigns/:id/progress',
    {
      schema: {
        summary: '工作进度（方案树）',
        tags,
        params: IdParams,
        querystring: ProgressQuery,
        response: { 200: ProgressOut },
      },
    },
    async (req, reply) =>
      onReplica(app.deps.database, db, reply, (rdb) =>
        getProgress(rdb, requireUser(req), clock.now(), req.params.id, req.query),
      ),
  );

  r.get(
    '/api/campaigns/:id/progress/export',
    {
      schema: { summary: '导出工作进度（.xlsx）', tags, params: IdParams, querystring: ProgressFilterQuery },
    },
    async (req, reply) => {
      const { name, buffer } = await onReplica(app.deps.database, db, reply, (rdb) =>
        exportProgress(rdb, requireUser(req), clock.now(), req.params.id, req.query),
      );
      return reply.header('content-type', XLSX).header('content-disposition', disposition(name)).send(buffer);
    },
  );
}
