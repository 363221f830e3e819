import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../http/schemas';
import { AppError } from '../../../domain/errors';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { compareVersions } from './compare-versions';
import { downloadReport } from './download-report';
import { getReport } from './get-report';
import { listMyTasks, listReviewQueue } from './list-tasks';
import { sendUpload } from '../../http/download';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import {
  addAttachment,
  attachmentUploadKind,
  checkAttachmentFile,
  readAttachment,
  removeAttachment,
} from './manage-attachments';
import { addRectificationItem, listRectificationItems, removeRectificationItem } from './manage-rectification-items';
import { openReport } from './open-report';
import { listPublished, publishReports, readPublicReport } from './publish-reports';
import { previewChecks } from './preview-checks';
import { notFoundPage, PUBLIC_PAGE_CSP, renderPublicReport } from './public-page';
import { checkAuthor, saveReport } from './save-report';
import { sendReminders } from './send-reminders';
import { shanghaiDate } from '../../../domain/calendar';
import { transitionReport } from './transition-report';
import { uploadReportDocx } from './upload-docx';
import {
  AttachmentOut,
  Checks,
  DiffOut,
  DiffQuery,
  DocxOut,
  IdOut,
  OkOut as Ok,
  OpenIn,
  PublicReportOut,
  PublishedOut,
  PublishedQuery,
  PublishIn,
  PublishOut,
  QueueOut,
  QueueQuery,
  RectItem,
  RectItemIn,
  RectItemsOut,
  RemindIn,
  RemindOut,
  ReportView,
  SavedOut,
  SectionsIn,
  TasksOut,
  TransitionIn,
  TransitionOut,
} from './schemas';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const disposition = (name: string) =>
  `attachment; filename="report.docx"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function reportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const today = () => shanghaiDate(app.deps.clock.now());
  const tags = ['reports'];

  r.get(
    '/api/reports/tasks',
    { schema: { summary: '我的述职报告任务', tags, response: { 200: TasksOut } } },
    async (req) => listMyTasks(db(), requireUser(req), today()),
  );

  r.get(
    '/api/reports/queue',
    {
      schema: {
        summary: '审核队列',
        tags,
        querystring: QueueQuery,
        response: { 200: QueueOut },
      },
    },
    async (req) =>
      listReviewQueue(db(), requireUser(req), { ...req.query, overdue: req.query.overdue === 'true' }, today()),
  );

  r.post(
    '/api/reports/reminders',
    {
      schema: {
        summary: '催报',
        tags,
        body: RemindIn,
        response: { 200: RemindOut },
      },
    },
    async (req) => sendReminders(db(), requireUser(req), actorOf(req), req.body, today()),
  );

  r.get(
    '/api/reports/published',
    {
      schema: {
        summary: '已公开的述职报告',
        tags,
        querystring: PublishedQuery,
        response: { 200: PublishedOut },
      },
    },
    async (req) => listPublished(db(), requireUser(req), req.query),
  );

  r.post(
    '/api/reports/open',
    {
      schema: {
        summary: '打开（或新建）本人的述职报告',
        tags,
        body: OpenIn,
        response: { 200: IdOut },
      },
    },
    async (req) => ({ id: await openReport(db(), requireUser(req), actorOf(req), req.body.reporterId) }),
  );

  r.post(
    '/api/reports/publish',
    {
      schema: {
        summary: '公开述职报告',
        tags,
        body: PublishIn,
        response: { 200: PublishOut },
      },
    },
    async (req) => publishReports(db(), requireUser(req), actorOf(req), req.body.campaignId, today()),
  );

  r.get(
    '/api/reports/:id',
    { schema: { summary: '述职报告详情', tags, params: IdParams, response: { 200: ReportView } } },
    async (req) => getReport(db(), requireUser(req), req.params.id, today()),
  );

  r.put(
    '/api/reports/:id/sections',
    {
      schema: {
        summary: '保存述职报告各部分',
        tags,
        params: IdParams,
        body: SectionsIn,
        response: { 200: SavedOut },
      },
    },
    async (req) => saveReport(db(), requireUser(req), actorOf(req), req.params.id, req.body.sections, today()),
  );

  r.post(
    '/api/reports/:id/check',
    {
      schema: {
        summary: '运行提交前检查',
        tags,
        params: IdParams,
        body: SectionsIn,
        response: { 200: Checks },
      },
    },
    async (req) => previewChecks(db(), requireUser(req), req.params.id, req.body.sections, today()),
  );

  r.post(
    '/api/reports/:id/docx',
    {
      schema: {
        summary: '上传 Word 述职报告（.docx）',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: DocxOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.reportDocx, async (file) =>
        uploadReportDocx(db(), user, actorOf(req), req.params.id, await readFile(file.path), file.name, today()),
      );
    },
  );

  r.post(
    '/api/reports/:id/transitions',
    {
      schema: {
        summary: '提交、退回、责令重写、通过或签字',
        tags,
        params: IdParams,
        body: TransitionIn,
        response: { 200: TransitionOut },
      },
    },
    async (req) =>
      transitionReport(db(), requireUser(req), actorOf(req), req.params.id, req.body.action, req.body.comment, today()),
  );

  r.get(
    '/api/reports/:id/versions/:versionNo/docx',
    {
      schema: {
        summary: '下载某一版述职报告（.docx）',
        tags,
        params: z.object({ id: Id, versionNo: z.coerce.number().int().min(0).max(100_000) }),
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await downloadReport(
        db(),
        requireUser(req),
        req.params.id,
        req.params.versionNo,
        app.deps.clock.now(),
      );
      reply.header('content-type', DOCX).header('content-disposition', disposition(fileName));
      return reply.send(buffer);
    },
  );

  r.get(
    '/api/reports/:id/diff',
    {
      schema: {
        summary: '比较两版述职报告',
        tags,
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: DiffOut },
      },
    },
    async (req) => compareVersions(db(), requireUser(req), req.params.id, req.query.from, req.query.to),
  );

  r.post(
    '/api/reports/:id/attachments',
    {
      schema: {
        summary: '添加附件',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: AttachmentOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      // Who may upload and how much, before a byte of the body is read; the file streams to disk (decision 021).
      const { ctx } = await checkAuthor(db(), user, req.params.id, app.deps.clock.now());
      return withUpload(req, app.deps.files.incoming, attachmentUploadKind(ctx.settings), async (file) => {
        checkAttachmentFile(file);
        // In the store before the row that names it commits, so a backup that sees the row finds the file.
        await app.deps.files.put(file.path, file.sha256);
        return addAttachment(db(), user, actorOf(req), req.params.id, file);
      });
    },
  );

  r.get(
    '/api/reports/:id/attachments/:attachmentId',
    {
      schema: { summary: '下载附件', tags, params: z.object({ id: Id, attachmentId: Id }) },
    },
    async (req, reply) => {
      const a = await readAttachment(db(), requireUser(req), req.params.id, req.params.attachmentId);
      if (!app.deps.files.has(a.sha256)) {
        // Not the caller's doing: FILES_DIR wrong or the file lost (main.ts warns at start-up).
        req.log.error({ sha256: a.sha256, filesDir: app.deps.files.dir }, 'attachment file missing');
        throw new AppError('FILE_MISSING');
      }
      // Streamed from the file store, never read whole into memory; the type is told from its first bytes.
      return sendUpload(
        reply,
        {
          fileName: a.fileName,
          head: await app.deps.files.head(a.sha256),
          stream: app.deps.files.open(a.sha256),
          size: a.size,
        },
        'attachment',
      );
    },
  );

  r.delete(
    '/api/reports/:id/attachments/:attachmentId',
    {
      schema: { summary: '删除附件', tags, params: z.object({ id: Id, attachmentId: Id }), response: { 200: Ok } },
    },
    async (req) => {
      await removeAttachment(db(), requireUser(req), actorOf(req), req.params.id, req.params.attachmentId);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/reporters/:id/rectification-items',
    {
      schema: {
        summary: '述职报告中的上年度整改事项',
        tags,
        params: IdParams,
        response: { 200: RectItemsOut },
      },
    },
    async (req) => listRectificationItems(db(), requireUser(req), req.params.id),
  );

  r.post(
    '/api/reporters/:id/rectification-items',
    {
      schema: {
        summary: '添加上年度整改事项',
        tags,
        params: IdParams,
        body: RectItemIn,
        response: { 200: RectItem },
      },
    },
    async (req) => addRectificationItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/reporters/:id/rectification-items/:itemId',
    {
      schema: { summary: '删除上年度整改事项', tags, params: z.object({ id: Id, itemId: Id }), response: { 200: Ok } },
    },
    async (req) => {
      await removeRectificationItem(db(), requireUser(req), actorOf(req), req.params.id, req.params.itemId);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/public/reports/:token',
    {
      config: { public: true },
      schema: {
        summary: '公开的述职报告（凭链接，公开）',
        tags,
        params: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, '链接无效') }),
        response: { 200: PublicReportOut },
      },
    },
    async (req) => readPublicReport(db(), req.params.token),
  );

  // The public link as a read-only page (no sign-in, no SPA): /p/reports/<token>.
  r.get(
    '/p/reports/:token',
    { config: { public: true }, schema: { hide: true, params: z.object({ token: z.string().max(100) }) } },
    async (req, reply) => {
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', PUBLIC_PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store');
      if (!/^[A-Za-z0-9_-]{10,64}$/.test(req.params.token)) return reply.code(404).send(notFoundPage());
      try {
        return reply.send(await renderPublicReport(db(), req.params.token));
      } catch (e) {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return reply.code(404).send(notFoundPage());
        throw e;
      }
    },
  );
}
