/**
 * /api/campaigns and /api/campaign-templates (issue 3). Request and response schemas live in
 * ./schemas.ts; the web imports their inferred types from there.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { createCampaign } from './create-campaign';
import { endCampaign } from './end-campaign';
import { exportReporters } from './export-reporters';
import { reviewFiling, submitFiling } from './file-plan';
import { getCampaignDetail } from './get-campaign';
import { listCampaigns } from './list-campaigns';
import { listGaps } from './list-gaps';
import { listReporters } from './list-reporters';
import { listTemplates } from './list-templates';
import { addReporter, fileSelfCommittee, recordSelfCommittee, removeReporter } from './manage-reporters';
import { previewScope } from './preview-scope';
import { publishCampaign } from './publish-campaign';
import { IdParams } from '../../http/schemas';
import {
  AddReporterBody,
  CampaignDetail,
  CampaignsOut,
  CreateBody,
  FilingReturnBody,
  FilingSubmitBody,
  GapsOut,
  GapsQuery,
  IdOut,
  ListQuery,
  PendingWorkOut,
  PhaseBody,
  PhaseKeyParams,
  PhaseParams,
  PhasesOut,
  PublishOut,
  RemoveReporterBody,
  ReporterParams,
  ReportersExportQuery,
  ReportersOut,
  ReportersQuery,
  ScopeBody,
  ScopePreview,
  ScopeSavedOut,
  SelfCommitteeBody,
  SelfCommitteeFiledOut,
  SelfCommitteeOut,
  SettingsBody,
  SummaryOut,
  TemplatesOut,
  TemplatesQuery,
} from './schemas';
import { changePhase, previewPhaseClose } from './transition-phase';
import { updateScope } from './update-scope';
import { updateSettings } from './update-settings';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const contentDisposition = (name: string) =>
  `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function campaignRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const now = () => app.deps.clock.now();
  const tags = ['campaigns'];

  r.get(
    '/api/campaign-templates',
    {
      schema: {
        summary: '述职评议考核模板列表',
        tags,
        querystring: TemplatesQuery,
        response: { 200: TemplatesOut },
      },
    },
    async (req) => {
      requireUser(req);
      return { items: listTemplates(req.query.year ?? now().getUTCFullYear()) };
    },
  );

  r.get(
    '/api/campaigns',
    {
      schema: {
        summary: '述职评议考核列表',
        tags,
        querystring: ListQuery,
        response: { 200: CampaignsOut },
      },
    },
    async (req) => listCampaigns(db(), requireUser(req), req.query),
  );

  r.post(
    '/api/campaigns',
    {
      schema: { summary: '从模板新建述职评议考核', tags, body: CreateBody, response: { 200: SummaryOut } },
    },
    async (req) => ({ campaign: await createCampaign(db(), requireUser(req), actorOf(req), req.body) }),
  );

  r.get(
    '/api/campaigns/:id',
    {
      schema: { summary: '述职评议考核详情', tags, params: IdParams, response: { 200: CampaignDetail } },
    },
    async (req) => getCampaignDetail(db(), requireUser(req), req.params.id, now()),
  );

  r.put(
    '/api/campaigns/:id/settings',
    {
      schema: { summary: '修改方案设置', tags, params: IdParams, body: SettingsBody, response: { 200: SummaryOut } },
    },
    async (req) => ({ campaign: await updateSettings(db(), requireUser(req), actorOf(req), req.params.id, req.body) }),
  );

  r.put(
    '/api/campaigns/:id/scope',
    {
      schema: {
        summary: '修改述职范围与路由',
        tags,
        params: IdParams,
        body: ScopeBody,
        response: { 200: ScopeSavedOut },
      },
    },
    async (req) => updateScope(db(), requireUser(req), actorOf(req), req.params.id, req.body.match),
  );

  r.get(
    '/api/campaigns/:id/scope/preview',
    {
      schema: { summary: '预览述职范围', tags, params: IdParams, response: { 200: ScopePreview } },
    },
    async (req) => previewScope(db(), requireUser(req), req.params.id, now()),
  );

  r.get(
    '/api/campaigns/:id/gaps',
    {
      schema: {
        summary: '尚不具备述职条件的党组织（如缺书记）',
        tags,
        params: IdParams,
        querystring: GapsQuery,
        response: { 200: GapsOut },
      },
    },
    async (req) => listGaps(db(), requireUser(req), req.params.id, req.query, now()),
  );

  r.post(
    '/api/campaigns/:id/publish',
    {
      schema: { summary: '发布方案（分级开展时生成下级方案）', tags, params: IdParams, response: { 200: PublishOut } },
    },
    async (req) => publishCampaign(db(), requireUser(req), actorOf(req), req.params.id),
  );

  r.post(
    '/api/campaigns/:id/phases/:key/:action',
    {
      schema: {
        summary: '开启、延长、关闭或重新开启阶段',
        tags,
        params: PhaseParams,
        body: PhaseBody.nullish(),
        response: { 200: PhasesOut },
      },
    },
    async (req) =>
      changePhase(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.params.key,
        req.params.action,
        req.body ?? {},
      ),
  );

  r.get(
    '/api/campaigns/:id/phases/:key/pending',
    {
      schema: {
        summary: '关闭阶段前查看未完成的工作',
        tags,
        params: PhaseKeyParams,
        response: { 200: PendingWorkOut },
      },
    },
    async (req) => previewPhaseClose(db(), requireUser(req), req.params.id, req.params.key),
  );

  for (const [action, summary] of [
    ['close', '结束述职评议考核'],
    ['archive', '归档述职评议考核'],
  ] as const) {
    r.post(
      `/api/campaigns/:id/${action}`,
      {
        schema: { summary, tags, params: IdParams, response: { 200: SummaryOut } },
      },
      async (req) => ({ campaign: await endCampaign(db(), requireUser(req), actorOf(req), req.params.id, action) }),
    );
  }

  r.get(
    '/api/campaigns/:id/reporters',
    {
      schema: {
        summary: '述职对象名单',
        tags,
        params: IdParams,
        querystring: ReportersQuery,
        response: { 200: ReportersOut },
      },
    },
    async (req) => listReporters(db(), requireUser(req), req.params.id, req.query, now()),
  );

  r.get(
    '/api/campaigns/:id/reporters/export',
    {
      schema: {
        summary: '导出述职对象名单（.xlsx）',
        tags,
        params: IdParams,
        querystring: ReportersExportQuery,
      },
    },
    async (req, reply) => {
      const { name, buffer } = await exportReporters(db(), requireUser(req), req.params.id, req.query, now());
      reply.header('content-type', XLSX).header('content-disposition', contentDisposition(name));
      return reply.send(buffer);
    },
  );

  r.post(
    '/api/campaigns/:id/reporters',
    {
      schema: {
        summary: '添加述职对象（发布后须说明理由）',
        tags,
        params: IdParams,
        body: AddReporterBody,
        response: { 200: IdOut },
      },
    },
    async (req) => addReporter(db(), requireUser(req), actorOf(req), req.params.id, req.body.orgId, req.body.reason),
  );

  r.post(
    '/api/campaigns/:id/reporters/:rid/remove',
    {
      schema: {
        summary: '移出述职对象',
        tags,
        params: ReporterParams,
        body: RemoveReporterBody,
        response: { 200: IdOut },
      },
    },
    async (req) => removeReporter(db(), requireUser(req), actorOf(req), req.params.id, req.params.rid, req.body.reason),
  );

  r.post(
    '/api/campaigns/:id/reporters/:rid/self-committee',
    {
      schema: {
        summary: '登记向本级党委述职情况',
        tags,
        params: ReporterParams,
        body: SelfCommitteeBody,
        response: { 200: SelfCommitteeOut },
      },
    },
    async (req) => recordSelfCommittee(db(), requireUser(req), actorOf(req), req.params.id, req.params.rid, req.body),
  );

  r.post(
    '/api/campaigns/:id/reporters/:rid/self-committee/file',
    {
      schema: {
        summary: '报备向本级党委述职评议结果',
        tags,
        params: ReporterParams,
        response: { 200: SelfCommitteeFiledOut },
      },
    },
    async (req) => fileSelfCommittee(db(), requireUser(req), actorOf(req), req.params.id, req.params.rid),
  );

  r.post(
    '/api/campaigns/:id/filing/submit',
    {
      schema: {
        summary: '提交方案报备',
        tags,
        params: IdParams,
        body: FilingSubmitBody.nullish(),
        response: { 200: SummaryOut },
      },
    },
    async (req) => ({
      campaign: await submitFiling(db(), requireUser(req), actorOf(req), req.params.id, req.body?.note),
    }),
  );

  r.post(
    '/api/campaigns/:id/filing/acknowledge',
    {
      schema: { summary: '确认下级方案报备', tags, params: IdParams, response: { 200: SummaryOut } },
    },
    async (req) => ({
      campaign: await reviewFiling(db(), requireUser(req), actorOf(req), req.params.id, 'acknowledge'),
    }),
  );

  r.post(
    '/api/campaigns/:id/filing/return',
    {
      schema: {
        summary: '退回下级方案报备',
        tags,
        params: IdParams,
        body: FilingReturnBody,
        response: { 200: SummaryOut },
      },
    },
    async (req) => ({
      campaign: await reviewFiling(db(), requireUser(req), actorOf(req), req.params.id, 'return', req.body.reason),
    }),
  );
}
