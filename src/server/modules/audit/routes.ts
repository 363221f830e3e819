import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../../domain/errors';
import { actorOf } from '../../http/audit';
import { requireRole } from '../../http/session';
import { exportAudit } from './export-audit';
import { searchAudit } from './search-audit';
import { AUDIT_READER } from './policy';
import { verifyAuditChain } from './verify-chain';
import { AuditExportQuery, AuditPageOut, AuditQuery, ChainReportOut } from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/audit',
    {
      schema: {
        summary: '查询审计日志',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditPageOut },
      },
    },
    async (req) => searchAudit(app.deps.db, requireRole(req, AUDIT_READER), req.query),
  );

  // The rows of the current filter as .xlsx, with an anchor of the chain head signed now (decision 016) to print.
  r.get(
    '/api/audit/export',
    { schema: { summary: '导出审计日志（含锚点）', tags: ['audit'], querystring: AuditExportQuery } },
    async (req, reply) => {
      const auditor = requireRole(req, AUDIT_READER);
      const { name, buffer } = await exportAudit(app.deps.db, auditor, actorOf(req), req.query, app.deps.auditAnchors);
      return reply
        .header('content-type', XLSX)
        .header(
          'content-disposition',
          `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(buffer);
    },
  );

  // The whole chain (decision 013) and this process's anchors (decision 016), as `npm run audit:verify` checks them;
  // reveals counts, seq numbers and hashes, no row content.
  let running = false;
  r.get(
    '/api/audit/verify',
    {
      schema: {
        summary: '校验审计链',
        tags: ['audit'],
        response: { 200: ChainReportOut },
      },
    },
    async (req) => {
      requireRole(req, AUDIT_READER);
      // One check at a time per process: it reads the whole log.
      if (running) throw new AppError('AUDIT_VERIFY_RUNNING');
      running = true;
      try {
        const anchors = app.deps.auditAnchors ? await app.deps.auditAnchors.load() : undefined;
        const {
          ok,
          checked,
          head,
          tail,
          algs,
          anchors: anchorSummary,
          breakCount,
          reasons,
          breaks,
        } = await verifyAuditChain(app.deps.db, { anchors });
        return { ok, checked, head, tail, algs, anchors: anchorSummary, breakCount, reasons, breaks };
      } finally {
        running = false;
      }
    },
  );
}
