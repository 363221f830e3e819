import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, writeAudit } from '../../http/audit';
import { requireUser } from '../../http/session';
import { createDraft, mergeDraft, rejectDraft } from './drafts';
import { reporterDocx, themesXlsx } from './exports';
import { startJob } from './job';
import {
  DraftIn,
  DraftOut,
  IdParams,
  JobStartedOut,
  MergeDraftIn,
  OkOut,
  OverviewOut,
  RejectDraftIn,
  ReporterParams,
  ReporterThemesOut,
  RoundQuery,
  StartJobIn,
  SuggestionsOut,
} from './schemas';
import { keyContentSuggestions, overview, reporterThemes } from './views';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** 群众意见归纳 (R-VOTE-6, decision 026). */
export async function themeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['themes'];

  r.post(
    '/api/campaigns/:id/themes/jobs',
    {
      schema: {
        summary: '生成群众意见归纳（后台任务）',
        tags,
        params: IdParams,
        body: StartJobIn,
        response: { 200: JobStartedOut },
      },
    },
    async (req) => startJob(db(), requireUser(req), actorOf(req), req.params.id, req.body.roundId ?? null),
  );

  r.get(
    '/api/campaigns/:id/themes',
    {
      schema: {
        summary: '意见归纳：任务进度与主要主题',
        tags,
        params: IdParams,
        querystring: RoundQuery,
        response: { 200: OverviewOut },
      },
    },
    async (req) => overview(db(), requireUser(req), req.params.id, req.query.roundId ?? null),
  );

  r.get(
    '/api/campaigns/:id/themes/suggestions',
    {
      schema: {
        summary: '由意见主题提出的下一年度重点述职内容建议',
        tags,
        params: IdParams,
        response: { 200: SuggestionsOut },
      },
    },
    async (req) => keyContentSuggestions(db(), requireUser(req), req.params.id),
  );

  r.get(
    '/api/campaigns/:id/themes/reporters/:orgId',
    {
      schema: {
        summary: '一个述职对象的意见主题',
        tags,
        params: ReporterParams,
        querystring: RoundQuery,
        response: { 200: ReporterThemesOut },
      },
    },
    async (req) => reporterThemes(db(), requireUser(req), req.params.id, req.params.orgId, req.query.roundId ?? null),
  );

  r.get(
    '/api/campaigns/:id/themes/reporters/:orgId/docx',
    {
      schema: { summary: '下载群众评议意见归纳（Word）', tags, params: ReporterParams, querystring: RoundQuery },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const out = await reporterDocx(
        db(),
        user,
        req.params.id,
        req.params.orgId,
        req.query.roundId ?? null,
        app.deps.clock.now(),
      );
      await writeAudit(db(), actorOf(req), {
        action: 'themes.export.docx',
        targetType: 'campaign',
        targetId: req.params.id,
        detail: { orgId: req.params.orgId },
      });
      reply.header('content-type', DOCX).header('content-disposition', disposition(out.name, 'themes.docx'));
      return reply.send(out.buffer);
    },
  );

  r.get(
    '/api/campaigns/:id/themes/xlsx',
    { schema: { summary: '下载全部意见主题（Excel）', tags, params: IdParams, querystring: RoundQuery } },
    async (req, reply) => {
      const out = await themesXlsx(db(), requireUser(req), req.params.id, req.query.roundId ?? null);
      await writeAudit(db(), actorOf(req), {
        action: 'themes.export.xlsx',
        targetType: 'campaign',
        targetId: req.params.id,
        detail: { roundId: req.query.roundId ?? null },
      });
      reply.header('content-type', XLSX).header('content-disposition', disposition(out.name, 'themes.xlsx'));
      return reply.send(out.buffer);
    },
  );

  r.post(
    '/api/campaigns/:id/themes/drafts',
    {
      schema: { summary: '由主题生成整改事项草稿', tags, params: IdParams, body: DraftIn, response: { 200: DraftOut } },
    },
    async (req) => createDraft(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/theme-drafts/:id/merge',
    {
      schema: {
        summary: '将草稿并入已有整改事项',
        tags,
        params: IdParams,
        body: MergeDraftIn,
        response: { 200: OkOut },
      },
    },
    async (req) => mergeDraft(db(), requireUser(req), actorOf(req), req.params.id, req.body.itemId),
  );

  r.post(
    '/api/theme-drafts/:id/reject',
    {
      schema: { summary: '不采纳整改事项草稿', tags, params: IdParams, body: RejectDraftIn, response: { 200: OkOut } },
    },
    async (req) => rejectDraft(db(), requireUser(req), actorOf(req), req.params.id, req.body.reason),
  );
}
