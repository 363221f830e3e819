import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { IdParams } from '../../http/schemas';
import { AppError } from '../../../domain/errors';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import { ORG_XLSX_ZIP, readZipUpload } from '../../uploads/zip-check';
import { appointSecretary } from './appoint-secretary';
import { treeChildren, treeRoots } from './browse-tree';
import { createOrg } from './create-org';
import { exportOrgs } from './export-orgs';
import { getOrgDetail } from './get-org';
import { getImportJob, type ImportJobRow, startImportJob } from './import-job';
import { assertCanImport, importOrgs } from './import-orgs';
import { buildImportTemplate } from './import-template';
import { addMember, removeMember, updateMember } from './members';
import { moveOrg } from './move-org';
import { searchOrgs } from './search-orgs';
import { updateOrg } from './update-org';
import { shanghaiDate } from '../../../domain/calendar';
import {
  ChildrenOut,
  ChildrenQuery,
  type ImportJobOut,
  ImportJobStateOut,
  ImportResult,
  MemberIn,
  MemberSavedOut,
  MoveIn,
  OkOut,
  OrgCreateIn,
  OrgDetailOut,
  OrgIn,
  OrgSavedOut,
  OrgSearchOut,
  OrgSearchQuery,
  RootsOut,
  SecretaryIn,
  SecretarySavedOut,
} from './schemas';

function presentJob(job: ImportJobRow): z.infer<typeof ImportJobOut> {
  return {
    id: job.id,
    fileName: job.fileName,
    status: job.status as z.infer<typeof ImportJobOut>['status'],
    processed: job.processed,
    total: job.total,
    result: (job.result as z.infer<typeof ImportResult> | null) ?? null,
    error: (job.error as { code: string; message: string; details: unknown } | null) ?? null,
    createdAt: job.createdAt.toISOString(),
  };
}

function contentDisposition(name: string) {
  return `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function organizationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['organizations'];

  r.get(
    '/api/orgs/roots',
    { schema: { summary: '组织树的顶级组织', tags, response: { 200: RootsOut } } },
    async (req) => treeRoots(db(), requireUser(req)),
  );

  r.get(
    '/api/orgs/:id/children',
    {
      schema: {
        summary: '下级组织',
        tags,
        params: IdParams,
        querystring: ChildrenQuery,
        response: { 200: ChildrenOut },
      },
    },
    async (req) => treeChildren(db(), requireUser(req), req.params.id, req.query.offset, req.query.limit),
  );

  r.get(
    '/api/orgs/search',
    {
      schema: {
        summary: '搜索组织',
        tags,
        querystring: OrgSearchQuery,
        response: { 200: OrgSearchOut },
      },
    },
    async (req) => searchOrgs(db(), requireUser(req), req.query),
  );

  r.get('/api/orgs/import/template', { schema: { summary: '组织导入模板（.xlsx）', tags } }, async (req, reply) => {
    requireUser(req);
    reply.header('content-type', XLSX).header('content-disposition', contentDisposition('组织与书记导入模板.xlsx'));
    return reply.send(await buildImportTemplate());
  });

  const readUpload = <T>(req: FastifyRequest, use: (buffer: Buffer, fileName: string) => Promise<T>) =>
    withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.orgXlsx, async (file) =>
      use(await readZipUpload(file, ORG_XLSX_ZIP), file.name || 'upload.xlsx'),
    );
  const today = () => shanghaiDate(app.deps.clock.now());

  // Synchronous import, for scripts and small files: answers when everything is written (or nothing).
  r.post(
    '/api/orgs/import',
    {
      schema: {
        summary: '导入组织（.xlsx，全部或全不）',
        tags,
        consumes: ['multipart/form-data'],
        response: { 200: ImportResult },
      },
    },
    async (req) => {
      const user = requireUser(req);
      assertCanImport(user);
      return readUpload(req, (buffer) => importOrgs(db(), user, actorOf(req), buffer, today()));
    },
  );

  // The page's import: answers at once with a job whose progress the page polls (100,000 rows take a while).
  r.post(
    '/api/orgs/import-jobs',
    {
      schema: {
        summary: '后台导入组织（返回任务）',
        tags,
        consumes: ['multipart/form-data'],
        response: { 202: ImportJobStateOut },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      assertCanImport(user);
      const job = await readUpload(req, (buffer, fileName) =>
        startImportJob(db(), user, actorOf(req), buffer, fileName, today(), (err) =>
          app.log.error({ err }, 'org import job failed'),
        ),
      );
      return reply.status(202).send({ job: presentJob(job) });
    },
  );

  r.get(
    '/api/orgs/import-jobs/:id',
    {
      schema: { summary: '导入任务状态', tags, params: IdParams, response: { 200: ImportJobStateOut } },
    },
    async (req) => ({ job: presentJob(await getImportJob(db(), requireUser(req), req.params.id)) }),
  );

  r.get(
    '/api/orgs/:id/export',
    { schema: { summary: '导出组织（.xlsx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await exportOrgs(db(), requireUser(req), req.params.id);
      reply.header('content-type', XLSX).header('content-disposition', contentDisposition(name));
      return reply.send(buffer);
    },
  );

  r.get(
    '/api/orgs/:id',
    {
      schema: {
        summary: '组织详情（书记、班子成员）',
        tags,
        params: IdParams,
        response: {
          200: OrgDetailOut,
        },
      },
    },
    async (req) => getOrgDetail(db(), requireUser(req), req.params.id),
  );

  r.post(
    '/api/orgs',
    {
      schema: {
        summary: '新建组织',
        tags,
        body: OrgCreateIn,
        response: { 200: OrgSavedOut },
      },
    },
    async (req) => ({ org: await createOrg(db(), requireUser(req), actorOf(req), req.body) }),
  );

  r.patch(
    '/api/orgs/:id',
    {
      schema: {
        summary: '修改组织',
        tags,
        params: IdParams,
        body: OrgIn.partial().strict(),
        response: { 200: OrgSavedOut },
      },
    },
    async (req) => ({ org: await updateOrg(db(), requireUser(req), actorOf(req), req.params.id, req.body) }),
  );

  r.post(
    '/api/orgs/:id/move',
    {
      schema: {
        summary: '移动组织到新的上级',
        tags,
        params: IdParams,
        body: MoveIn,
        response: { 200: OrgSavedOut },
      },
    },
    async (req) => ({ org: await moveOrg(db(), requireUser(req), actorOf(req), req.params.id, req.body.newParentId) }),
  );

  r.put(
    '/api/orgs/:id/secretary',
    {
      schema: {
        summary: '更换书记',
        tags,
        params: IdParams,
        body: SecretaryIn.strict(),
        response: { 200: SecretarySavedOut },
      },
    },
    async (req) => {
      const today = shanghaiDate(app.deps.clock.now());
      if (req.body.tenureStart > today)
        throw new AppError('VALIDATION', '任职时间不能晚于今天', { field: 'tenureStart' });
      return { secretary: await appointSecretary(db(), requireUser(req), actorOf(req), req.params.id, req.body) };
    },
  );

  r.post(
    '/api/orgs/:id/members',
    {
      schema: {
        summary: '添加班子成员',
        tags,
        params: IdParams,
        body: MemberIn.strict(),
        response: { 200: MemberSavedOut },
      },
    },
    async (req) => ({ member: await addMember(db(), requireUser(req), actorOf(req), req.params.id, req.body) }),
  );

  r.patch(
    '/api/members/:id',
    {
      schema: {
        summary: '修改班子成员',
        tags,
        params: IdParams,
        body: MemberIn.partial().strict(),
        response: { 200: MemberSavedOut },
      },
    },
    async (req) => ({ member: await updateMember(db(), requireUser(req), actorOf(req), req.params.id, req.body) }),
  );

  r.delete(
    '/api/members/:id',
    {
      schema: { summary: '删除班子成员', tags, params: IdParams, response: { 200: OkOut } },
    },
    async (req) => {
      await removeMember(db(), requireUser(req), actorOf(req), req.params.id);
      return { ok: true };
    },
  );
}
