/**
 * Downloads of the locked evaluation's documents (R-GRADE-6). Each generation leaves an audit row: who printed
 * which grades, and when, is part of the record of a decision that goes into cadre files.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { type AuditActor, actorOf, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { requireUser } from '../../http/session';
import { loadLocked, outputsStatus, resultCount } from './outputs-data';
import { feedbackLetterDocx, feedbackLettersZip, letterFileName, noticeDocx } from './outputs-docx';
import { cadreSheetsXlsx, rankingXlsx } from './outputs-xlsx';
import { NoticeQuery, OutputsStatusOut } from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ZIP = 'application/zip';
const Problem = z.object({ code: z.string(), message: z.string() });
const disposition = (name: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

function send(reply: FastifyReply, type: string, name: string, fallback: string, body: Buffer) {
  return reply
    .header('content-type', type)
    .header('cache-control', 'no-store')
    .header('content-disposition', disposition(name, fallback))
    .send(body);
}

/** Target and scope of a generation's audit row; each call spells its `action` out so the labels test finds it. */
const target = (campaign: { id: number; organizerPath: string }, detail: Record<string, unknown>) => ({
  targetType: 'campaign',
  targetId: campaign.id,
  scopePath: campaign.organizerPath,
  detail,
});

export async function evaluationOutputRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['evaluation'];
  const base = '/api/campaigns/:id/evaluation/outputs';
  const params = z.object({ id: Id });
  const binary = { '4xx': Problem };

  r.get(
    base,
    {
      schema: {
        summary: '综合评价结果文书的生成状态',
        tags,
        params,
        response: {
          200: OutputsStatusOut,
          '4xx': Problem,
        },
      },
    },
    async (req) => outputsStatus(db(), requireUser(req), req.params.id),
  );

  const letterQuery = z.object({ showScores: Bool.optional() });
  const letters = async (
    user: AuthUser,
    actor: AuditActor,
    campaignId: number,
    reporterId: number,
    showScores: boolean | undefined,
  ) => {
    const { campaign, rows } = await loadLocked(db(), user, campaignId, '反馈意见', { reporterId });
    // The organizer chooses whether letters print the score and rank; the reporter's own copy never does.
    const show = user.role === 'org_admin' && showScores === true;
    const [row] = rows;
    const total = show ? await resultCount(db(), campaignId) : 0;
    const buffer = await feedbackLetterDocx(campaign, row!, total, { showScores: show });
    await writeAudit(db(), actor, {
      action: 'evaluation.output.feedback',
      ...target(campaign, { reporterId, showScores: show, letters: 1 }),
    });
    return { buffer, name: letterFileName(row!) };
  };

  r.get(
    `${base}/feedback-letters`,
    {
      schema: {
        summary: '全部反馈意见书（.zip）',
        tags,
        params,
        querystring: letterQuery,
        produces: [ZIP],
        response: binary,
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const { campaign, rows } = await loadLocked(db(), user, req.params.id, '反馈意见');
      const showScores = req.query.showScores === true;
      const buffer = await feedbackLettersZip(campaign, rows, { showScores });
      await writeAudit(db(), actorOf(req), {
        action: 'evaluation.output.feedback',
        ...target(campaign, { letters: rows.length, showScores, format: 'zip' }),
      });
      return send(reply, ZIP, `${campaign.title}-反馈意见.zip`, 'feedback-letters.zip', buffer);
    },
  );

  r.get(
    `${base}/feedback-letters/:reporterId`,
    {
      schema: {
        summary: '某述职对象的反馈意见书（.docx）',
        tags,
        params: z.object({ id: Id, reporterId: Id }),
        querystring: letterQuery,
        produces: [DOCX],
        response: binary,
      },
    },
    async (req, reply) => {
      const out = await letters(
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.params.reporterId,
        req.query.showScores,
      );
      return send(reply, DOCX, out.name, 'feedback-letter.docx', out.buffer);
    },
  );

  r.get(
    `${base}/notice`,
    {
      schema: {
        summary: '综合评价结果通报（.docx）',
        tags,
        params,
        produces: [DOCX],
        response: binary,
        querystring: NoticeQuery,
      },
    },
    async (req, reply) => {
      const { campaign, rows } = await loadLocked(db(), requireUser(req), req.params.id, '结果通报');
      const buffer = await noticeDocx(campaign, rows, req.query);
      await writeAudit(db(), actorOf(req), {
        action: 'evaluation.output.notice',
        ...target(campaign, { reporters: rows.length, docNumber: req.query.docNumber ?? null }),
      });
      return send(reply, DOCX, `${campaign.title}-结果通报.docx`, 'notice.docx', buffer);
    },
  );

  r.get(
    `${base}/cadre-sheets`,
    {
      schema: { summary: '干部档案材料（.xlsx）', tags, params, produces: [XLSX], response: binary },
    },
    async (req, reply) => {
      const { campaign, rows } = await loadLocked(db(), requireUser(req), req.params.id, '干部档案材料');
      const buffer = await cadreSheetsXlsx(campaign, rows);
      await writeAudit(db(), actorOf(req), {
        action: 'evaluation.output.cadre_file',
        ...target(campaign, { secretaries: rows.length }),
      });
      return send(reply, XLSX, `${campaign.title}-干部档案材料.xlsx`, 'cadre-sheets.xlsx', buffer);
    },
  );

  r.get(
    `${base}/ranking`,
    {
      schema: { summary: '综合评价排名表（.xlsx）', tags, params, produces: [XLSX], response: binary },
    },
    async (req, reply) => {
      const { campaign, rows } = await loadLocked(db(), requireUser(req), req.params.id, '排名表');
      const buffer = await rankingXlsx(campaign, rows);
      await writeAudit(db(), actorOf(req), {
        action: 'evaluation.output.ranking',
        ...target(campaign, { reporters: rows.length }),
      });
      return send(reply, XLSX, `${campaign.title}-综合评价排名表.xlsx`, 'ranking.xlsx', buffer);
    },
  );
}
