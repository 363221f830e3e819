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
import { REPORT_STATES, REVIEW_ACTIONS } from '../../../domain/report-review';
import { checkAuthor, saveReport } from './save-report';
import { MAX_REMINDERS, sendReminders } from './send-reminders';
import { shanghaiDate } from '../../../domain/calendar';
import { transitionReport } from './transition-report';
import { uploadReportDocx } from './upload-docx';
import { Checks, RectItem, ReportView, Sections, StoredSections, TaskItem } from './schemas';

const Ok = z.object({ ok: z.literal(true) });

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
    { schema: { summary: '我的述职报告任务', tags, response: { 200: z.object({ items: z.array(TaskItem) }) } } },
    async (req) => listMyTasks(db(), requireUser(req), today()),
  );

  r.get(
    '/api/reports/queue',
    {
      schema: {
        summary: '审核队列',
        tags,
        querystring: z.object({
          campaignId: Id.optional(),
          state: z.enum([...REPORT_STATES, 'none', 'pending']).optional(),
          q: z.string().trim().max(100).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(TaskItem), total: z.number() }) },
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
        body: z
          .object({
            reporterIds: z.array(Id).min(1).max(MAX_REMINDERS).optional(),
            all: z
              .object({
                campaignId: Id.optional(),
                q: z.string().trim().max(100).optional(),
                overdue: z.boolean().optional(),
                state: z.enum(['none', 'draft', 'returned', 'rewrite_ordered']).optional(),
              })
              .strict()
              .optional(),
            message: z.string().trim().max(200, '催报内容不能超过200字').optional(),
          })
          .strict(),
        response: {
          200: z.object({
            sent: z.array(z.string()),
            skipped: z.array(z.object({ orgName: z.string(), reason: z.string() })),
          }),
        },
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
        querystring: z.object({
          campaignId: Id.optional(),
          q: z.string().trim().max(100).optional(),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                reporterId: z.number(),
                campaignId: z.number(),
                orgName: z.string(),
                campaignTitle: z.string(),
                publishedAt: z.string(),
                charCount: z.number(),
              }),
            ),
            total: z.number(),
          }),
        },
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
        body: z.object({ reporterId: Id }).strict(),
        response: { 200: z.object({ id: z.number() }) },
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
        body: z.object({ campaignId: Id }).strict(),
        response: {
          200: z.object({
            published: z.array(z.string()),
            skipped: z.array(z.object({ orgName: z.string(), reason: z.string() })),
            audience: z.string(),
          }),
        },
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
        body: z.object({ sections: Sections }).strict(),
        response: { 200: z.object({ charCount: z.number() }) },
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
        body: z.object({ sections: Sections }).strict(),
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
        response: {
          200: z.object({
            versionNo: z.number(),
            charCount: z.number(),
            unknownHeadings: z.array(z.string()),
            sections: z.array(z.object({ key: z.string(), title: z.string() })),
          }),
        },
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
        body: z.object({ action: z.enum(REVIEW_ACTIONS), comment: z.string().max(2000).default('') }).strict(),
        response: { 200: z.object({ state: z.enum(REPORT_STATES), versionNo: z.number() }) },
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
        querystring: z.object({
          from: z.coerce.number().int().min(0).max(100_000),
          to: z.coerce.number().int().min(0).max(100_000),
        }),
        response: {
          200: z.object({
            from: z.number(),
            to: z.number(),
            changed: z.number(),
            rows: z.array(
              z.object({
                kind: z.enum(['same', 'changed', 'removed', 'added']),
                left: z.string().nullable(),
                right: z.string().nullable(),
              }),
            ),
          }),
        },
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
        response: { 200: z.object({ id: z.number(), fileName: z.string(), size: z.number() }) },
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
        response: { 200: z.object({ items: z.array(RectItem) }) },
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
        body: z
          .object({
            reference: z.string().trim().max(50).nullable().optional(),
            text: z.string().trim().min(2, '请填写整改事项内容').max(2000),
          })
          .strict(),
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
        response: {
          200: z.object({
            orgName: z.string(),
            campaignTitle: z.string(),
            publishedAt: z.string(),
            charCount: z.number(),
            sections: StoredSections,
          }),
        },
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
