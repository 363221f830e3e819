import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { onReplica } from '../../db/read-replica';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import { readZipUpload, XLSX_ZIP } from '../../uploads/zip-check';
import { campaignDashboard } from './dashboard';
import { deriveResultFlags } from './derive-flags';
import { addAccountability, listFollowUps, recordFollowUp } from './follow-ups';
import { adjustKeyManagement, exportKeyManagement, listKeyManagement, proposeKeyList } from './key-management';
import { exportFlags, listFlags } from './list-flags';
import { exportParallel, importPerformance, parallelView, performanceTemplate, setHonourPlaces } from './performance';
import {
  getSummary,
  receiveSummary,
  resultsTable,
  saveSummary,
  submitSummary,
  summaryDocx,
  summaryInbox,
} from './summary-report';
import {
  AccountabilityIn,
  DashboardOut,
  DeriveOut,
  FlagsOut,
  FlagsQuery,
  FollowUpRecordIn,
  FollowUpsOut,
  FollowUpsQuery,
  HonoursBody,
  IdOut,
  IdStateOut,
  InboxOut,
  KeyActionIn,
  KeyAddIn,
  KeysOut,
  KeysQuery,
  ParallelOut,
  PerformanceImportOut,
  ProposeOut,
  SavedCountOut,
  SavedOut,
  StateOut,
  SubmittedOut,
  SummaryIn,
  SummaryOut,
  SummarySubmitIn,
} from './schemas';

const CampaignParams = z.object({ id: Id });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const disposition = (name: string, ext: string) =>
  `attachment; filename="export.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function resultRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['results'];

  r.post(
    '/api/campaigns/:id/results/derive',
    {
      schema: {
        summary: '生成结果运用清单',
        tags,
        params: CampaignParams,
        body: z
          .object({
            talkDueDays: z.number().int().min(1).max(365).default(30),
            rectifyDueDays: z.number().int().min(1).max(730).default(90),
            strengthenDueDays: z.number().int().min(1).max(730).default(180),
          })
          .strict(),
        response: { 200: DeriveOut },
      },
    },
    async (req) => deriveResultFlags(db, requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/campaigns/:id/results/flags',
    {
      schema: {
        summary: '结果运用清单',
        tags,
        params: CampaignParams,
        querystring: FlagsQuery,
        response: { 200: FlagsOut },
      },
    },
    async (req) => ({ items: await listFlags(db, requireUser(req), req.params.id, req.query) }),
  );

  r.get(
    '/api/campaigns/:id/results/flags.xlsx',
    { schema: { summary: '导出结果运用清单（.xlsx）', tags, params: CampaignParams } },
    async (req, reply) => {
      const buffer = await exportFlags(db, requireUser(req), req.params.id);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('结果运用清单.xlsx', 'xlsx'))
        .send(buffer);
    },
  );

  r.get(
    '/api/campaigns/:id/results/follow-ups',
    {
      schema: {
        summary: '约谈、限期整改、加强等事项',
        tags,
        params: CampaignParams,
        querystring: FollowUpsQuery,
        response: { 200: FollowUpsOut },
      },
    },
    async (req) => ({
      items: (await listFollowUps(db, requireUser(req), clock.now(), req.params.id, req.query)).map(
        ({ assigneePath: _p, ...row }) => row,
      ),
    }),
  );

  r.post(
    '/api/result-follow-ups/:id/record',
    {
      schema: {
        summary: '记录或办结结果运用事项',
        tags,
        params: z.object({ id: Id }),
        body: FollowUpRecordIn,
        response: { 200: IdStateOut },
      },
    },
    async (req) => recordFollowUp(db, requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/campaigns/:id/results/accountability',
    {
      schema: {
        summary: '登记追责问责',
        tags,
        params: CampaignParams,
        body: AccountabilityIn,
        response: { 200: IdOut },
      },
    },
    async (req) => addAccountability(db, requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/campaigns/:id/key-management/propose',
    {
      schema: { summary: '提出重点管理名单', tags, params: CampaignParams, response: { 200: ProposeOut } },
    },
    async (req) => proposeKeyList(db, requireUser(req), actorOf(req), req.params.id),
  );

  r.get(
    '/api/campaigns/:id/key-management',
    {
      schema: {
        summary: '重点管理名单',
        tags,
        params: CampaignParams,
        querystring: KeysQuery,
        response: { 200: KeysOut },
      },
    },
    async (req) => listKeyManagement(db, requireUser(req), req.params.id, req.query),
  );

  r.post(
    '/api/campaigns/:id/key-management',
    {
      schema: {
        summary: '增列重点管理对象',
        tags,
        params: CampaignParams,
        body: KeyAddIn,
        response: { 200: IdStateOut },
      },
    },
    async (req) =>
      adjustKeyManagement(db, requireUser(req), actorOf(req), req.params.id, null, { action: 'add', ...req.body }),
  );

  r.post(
    '/api/campaigns/:id/key-management/:itemId',
    {
      schema: {
        summary: '调出、确认或晋位升级重点管理对象',
        tags,
        params: z.object({ id: Id, itemId: Id }),
        body: KeyActionIn,
        response: { 200: IdStateOut },
      },
    },
    async (req) => adjustKeyManagement(db, requireUser(req), actorOf(req), req.params.id, req.params.itemId, req.body),
  );

  r.get(
    '/api/campaigns/:id/key-management.xlsx',
    { schema: { summary: '导出重点管理名单（.xlsx）', tags, params: CampaignParams } },
    async (req, reply) => {
      const buffer = await exportKeyManagement(db, requireUser(req), req.params.id);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('重点管理名单.xlsx', 'xlsx'))
        .send(buffer);
    },
  );

  r.get(
    '/api/results/performance-template.xlsx',
    { schema: { summary: '绩效考核结果导入模板（.xlsx）', tags } },
    async (req, reply) => {
      requireUser(req);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('绩效考核结果导入模板.xlsx', 'xlsx'))
        .send(await performanceTemplate());
    },
  );

  r.post(
    '/api/campaigns/:id/performance/import',
    {
      schema: {
        summary: '导入绩效考核结果（.xlsx）',
        tags,
        params: CampaignParams,
        consumes: ['multipart/form-data'],
        response: { 200: PerformanceImportOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.xlsx, async (file) =>
        importPerformance(db, user, actorOf(req), req.params.id, await readZipUpload(file, XLSX_ZIP)),
      );
    },
  );

  r.put(
    '/api/campaigns/:id/performance/honours',
    {
      schema: {
        summary: '设置评优名额',
        tags,
        params: CampaignParams,
        body: HonoursBody,
        response: { 200: SavedCountOut },
      },
    },
    async (req) => setHonourPlaces(db, requireUser(req), actorOf(req), req.params.id, req.body.places),
  );

  r.get(
    '/api/campaigns/:id/performance/parallel',
    {
      schema: {
        summary: '平行考核结果',
        tags,
        params: CampaignParams,
        response: { 200: ParallelOut },
      },
    },
    async (req) => parallelView(db, requireUser(req), req.params.id),
  );

  r.get(
    '/api/campaigns/:id/performance/parallel.xlsx',
    { schema: { summary: '导出平行考核结果（.xlsx）', tags, params: CampaignParams } },
    async (req, reply) => {
      const buffer = await exportParallel(db, requireUser(req), req.params.id);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('平行考核结果.xlsx', 'xlsx'))
        .send(buffer);
    },
  );

  r.get(
    '/api/campaigns/:id/summary',
    { schema: { summary: '总结报告', tags, params: CampaignParams, response: { 200: SummaryOut } } },
    async (req) => getSummary(db, requireUser(req), clock.now(), req.params.id),
  );

  r.put(
    '/api/campaigns/:id/summary',
    {
      schema: {
        summary: '保存总结报告',
        tags,
        params: CampaignParams,
        body: SummaryIn,
        response: { 200: SavedOut },
      },
    },
    async (req) => saveSummary(db, requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/campaigns/:id/summary/submit',
    {
      schema: {
        summary: '上报总结报告',
        tags,
        params: CampaignParams,
        body: SummarySubmitIn.nullish(),
        response: { 200: SubmittedOut },
      },
    },
    async (req) => submitSummary(db, requireUser(req), actorOf(req), req.params.id, req.body ?? {}),
  );

  r.post(
    '/api/campaigns/:id/summary/receive',
    { schema: { summary: '接收下级总结报告', tags, params: CampaignParams, response: { 200: StateOut } } },
    async (req) => receiveSummary(db, requireUser(req), actorOf(req), req.params.id),
  );

  r.get(
    '/api/campaigns/:id/summary.docx',
    { schema: { summary: '生成总结报告（.docx）', tags, params: CampaignParams } },
    async (req, reply) => {
      const { name, buffer } = await summaryDocx(db, requireUser(req), actorOf(req), req.params.id);
      return reply.header('content-type', DOCX).header('content-disposition', disposition(name, 'docx')).send(buffer);
    },
  );

  r.get(
    '/api/campaigns/:id/results-table.xlsx',
    { schema: { summary: '结果汇总表（.xlsx）', tags, params: CampaignParams } },
    async (req, reply) => {
      const buffer = await resultsTable(db, requireUser(req), req.params.id);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('综合评价结果表.xlsx', 'xlsx'))
        .send(buffer);
    },
  );

  r.get(
    '/api/summary-reports/inbox',
    {
      schema: {
        summary: '收到的下级总结报告',
        tags,
        response: { 200: InboxOut },
      },
    },
    async (req) => ({ items: await summaryInbox(db, requireUser(req)) }),
  );

  r.get(
    '/api/campaigns/:id/dashboard',
    { schema: { summary: '工作看板数据', tags, params: CampaignParams, response: { 200: DashboardOut } } },
    async (req, reply) =>
      onReplica(app.deps.database, db, reply, (rdb) =>
        campaignDashboard(rdb, requireUser(req), clock.now(), req.params.id),
      ),
  );
}
