import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../domain/errors';
import { actorOf } from '../../http/audit';
import { sendUpload } from '../../http/download';
import { requireUser } from '../../http/session';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import { addProgress } from './add-progress';
import { bulletinDocx } from './bulletin-docx';
import { carryOver } from './carry-over';
import { createItem } from './create-item';
import { addEvidence, readEvidence } from './evidence';
import { getItem } from './get-item';
import { getInbox } from './inbox';
import { listCommitments } from './list-commitments';
import { publishedProgress } from './published-progress';
import { listItems } from './list-items';
import { createCommitment, fileCommitment, updateCommitment } from './manage-commitments';
import { shanghaiDate } from './repo';
import { publishCommitments, reviewCommitment } from './review-commitments';
import { Id, IdParams } from '../../http/schemas';
import {
  ActionIn,
  ActionOut,
  CarryOverOut,
  CommitmentFiledOut,
  CommitmentIn,
  CommitmentPatchIn,
  CommitmentReviewedOut,
  CommitmentReviewIn,
  CommitmentsOut,
  CommitmentsPublishedOut,
  EvidenceAddedOut,
  IdOut,
  InboxOut,
  InboxQuery,
  ItemCreate,
  ItemDetailOut,
  ItemsOut,
  ItemsQuery,
  ItemUpdate,
  OkOut,
  ProgressIn,
  PublishedProgressOut,
  VerifiedOut,
  VerifyIn,
} from './schemas';
import { transitionItem } from './transition-item';
import { deleteItem, updateItem } from './update-item';
import { verifyItem } from './verify-item';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const disposition = (name: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** The progress note an evidence file belongs to, from the form field sent before the file. */
function progressIdOf(fields: Record<string, string>) {
  const raw = fields.progressId;
  const progressId = raw === undefined || raw === '' ? undefined : Number(raw);
  if (progressId !== undefined && !(Number.isInteger(progressId) && progressId > 0)) {
    throw new AppError('VALIDATION', '进展记录编号无效', { field: 'progressId' });
  }
  return progressId;
}

export async function rectificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  // Overdue is "deadline before today" on the injected clock, so tests move time instead of data.
  const today = () => shanghaiDate(app.deps.clock.now());
  const tags = ['rectification'];

  // —— Problem inbox (R-FIX-1) ——
  r.get(
    '/api/campaigns/:id/rectification/inbox',
    {
      schema: {
        summary: '问题收件箱（各来源的问题）',
        tags,
        params: IdParams,
        querystring: InboxQuery,
        response: { 200: InboxOut },
      },
    },
    async (req) => getInbox(db(), requireUser(req), req.params.id, req.query.orgId),
  );

  r.post(
    '/api/campaigns/:id/rectification/items',
    {
      schema: { summary: '新建整改事项', tags, params: IdParams, body: ItemCreate, response: { 200: IdOut } },
    },
    async (req) => createItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  // —— Items (R-FIX-2) ——
  r.get(
    '/api/rectification/items',
    {
      schema: { summary: '整改事项列表', tags, querystring: ItemsQuery, response: { 200: ItemsOut } },
    },
    async (req) => listItems(db(), requireUser(req), today(), req.query),
  );

  r.get(
    '/api/rectification/items/:id',
    {
      schema: { summary: '整改事项详情', tags, params: IdParams, response: { 200: ItemDetailOut } },
    },
    async (req) => getItem(db(), requireUser(req), today(), req.params.id),
  );

  r.patch(
    '/api/rectification/items/:id',
    {
      schema: { summary: '修改整改事项', tags, params: IdParams, body: ItemUpdate, response: { 200: IdOut } },
    },
    async (req) => updateItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/rectification/items/:id',
    {
      schema: { summary: '删除整改事项', tags, params: IdParams, response: { 200: OkOut } },
    },
    async (req) => {
      await deleteItem(db(), requireUser(req), actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/rectification/items/:id/actions',
    {
      schema: {
        summary: '开始整改或提交验收',
        tags,
        params: IdParams,
        body: ActionIn,
        response: { 200: ActionOut },
      },
    },
    async (req) => transitionItem(db(), requireUser(req), actorOf(req), req.params.id, req.body.action, req.body.note),
  );

  r.post(
    '/api/rectification/items/:id/progress',
    {
      schema: { summary: '填报整改进展', tags, params: IdParams, body: ProgressIn, response: { 200: IdOut } },
    },
    async (req) => addProgress(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/rectification/items/:id/evidence',
    {
      schema: {
        summary: '上传佐证材料',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: EvidenceAddedOut },
      },
    },
    async (req) => {
      return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.evidence, async (file) =>
        addEvidence(
          db(),
          requireUser(req),
          actorOf(req),
          req.params.id,
          { name: file.name, mimeType: file.mimeType, content: await readFile(file.path) },
          progressIdOf(file.fields),
        ),
      );
    },
  );

  r.get(
    '/api/rectification/items/:id/evidence/:evidenceId',
    {
      schema: { summary: '下载佐证材料', tags, params: z.object({ id: Id, evidenceId: Id }) },
    },
    async (req, reply) => {
      const e = await readEvidence(db(), requireUser(req), req.params.id, req.params.evidenceId);
      return sendUpload(reply, e, 'evidence');
    },
  );

  r.post(
    '/api/rectification/items/:id/verifications',
    {
      schema: {
        summary: '验收（销号、退回或重新整改）',
        tags,
        params: IdParams,
        body: VerifyIn,
        response: { 200: VerifiedOut },
      },
    },
    async (req) => verifyItem(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  // —— 通报 and carry-over (R-FIX-3, R-FIX-4) ——
  r.get(
    '/api/campaigns/:id/rectification/bulletin.docx',
    { schema: { summary: '整改情况通报（.docx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await bulletinDocx(db(), requireUser(req), today(), req.params.id);
      return reply
        .header('content-type', DOCX)
        .header('content-disposition', disposition(name, 'bulletin.docx'))
        .send(buffer);
    },
  );

  r.post(
    '/api/campaigns/:id/rectification/carry-over',
    {
      schema: { summary: '结转上年度整改事项', tags, params: IdParams, response: { 200: CarryOverOut } },
    },
    async (req) => carryOver(db(), requireUser(req), actorOf(req), req.params.id),
  );

  // —— 公开承诺 (R-FIX-3) ——
  r.get(
    '/api/campaigns/:id/commitments',
    {
      schema: { summary: '公开承诺列表', tags, params: IdParams, response: { 200: CommitmentsOut } },
    },
    async (req) => listCommitments(db(), requireUser(req), req.params.id),
  );

  r.post(
    '/api/campaigns/:id/commitments',
    {
      schema: {
        summary: '起草公开承诺',
        tags,
        params: IdParams,
        body: CommitmentIn,
        response: { 200: IdOut },
      },
    },
    async (req) => createCommitment(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/campaigns/:id/rectification/published-progress',
    {
      schema: {
        summary: '公开的整改进展',
        tags,
        params: IdParams,
        response: { 200: PublishedProgressOut },
      },
    },
    async (req) => publishedProgress(db(), requireUser(req), today(), req.params.id),
  );

  r.post(
    '/api/campaigns/:id/commitments/publish',
    {
      schema: {
        summary: '公开已确认的承诺',
        tags,
        params: IdParams,
        response: { 200: CommitmentsPublishedOut },
      },
    },
    async (req) => publishCommitments(db(), requireUser(req), actorOf(req), req.params.id),
  );

  r.patch(
    '/api/commitments/:id',
    {
      schema: {
        summary: '修改公开承诺',
        tags,
        params: IdParams,
        body: CommitmentPatchIn,
        response: { 200: IdOut },
      },
    },
    async (req) => updateCommitment(db(), requireUser(req), actorOf(req), req.params.id, req.body.content),
  );

  r.post(
    '/api/commitments/:id/file',
    {
      schema: {
        summary: '公开承诺报组织部门',
        tags,
        params: IdParams,
        response: { 200: CommitmentFiledOut },
      },
    },
    async (req) => fileCommitment(db(), requireUser(req), actorOf(req), req.params.id),
  );

  r.post(
    '/api/commitments/:id/review',
    {
      schema: {
        summary: '确认或退回公开承诺',
        tags,
        params: IdParams,
        body: CommitmentReviewIn,
        response: { 200: CommitmentReviewedOut },
      },
    },
    async (req) =>
      reviewCommitment(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.body.action,
        req.body.action === 'return' ? req.body.reason : undefined,
      ),
  );
}
