import { parseAnchors } from '../../../domain/audit-anchor';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { ANCHOR_SHEET, type AuditAnchors } from './anchors';
import { type AuditQuery, searchAudit } from './search-audit';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

export const AUDIT_EXPORT_MAX = 50_000;
/** Excel refuses longer cells. */
const CELL_MAX = 32_000;
const RECENT_ANCHORS = 20;

/** Excel has no time zones: write the Asia/Shanghai wall-clock time the audit page shows. */
const shanghai = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000);

/**
 * The auditor's export (.xlsx): the rows of the audit page's current filter and scope (searchAudit decides the scope),
 * and a sheet with an anchor of the chain head signed at this moment (decision 016), meant to be printed or stored
 * off the machine: with it `npm run audit:verify -- --anchors <file>` later shows any rewrite or cut of the log up to
 * here, even by someone who holds the database and the chain key. The export itself is audited.
 */
export async function exportAudit(
  db: DbOrTx,
  auditor: AuthUser,
  actor: AuditActor,
  q: Omit<AuditQuery, 'offset' | 'limit'>,
  anchors: AuditAnchors | null,
): Promise<{ name: string; buffer: Buffer }> {
  const page = await searchAudit(db, auditor, { ...q, offset: 0, limit: AUDIT_EXPORT_MAX });
  if (page.total > AUDIT_EXPORT_MAX) {
    throw new AppError(
      'AUDIT_EXPORT_TOO_LARGE',
      `符合条件的审计记录有 ${page.total} 条，超过单次导出上限 ${AUDIT_EXPORT_MAX} 条，请缩小时间范围或筛选条件`,
    );
  }
  await writeAudit(db, actor, {
    action: 'audit.export',
    targetType: 'audit_log',
    scopePath: auditor.scopePath,
    detail: { filters: q, rows: page.total },
  });
  let line: string | null = null;
  let anchorError: string | null = null;
  if (anchors) {
    try {
      line = await anchors.write('export', true);
    } catch (e) {
      anchorError = e instanceof Error ? e.message : String(e);
    }
  }
  const loaded = anchors ? await anchors.load().catch(() => null) : null;

  const wb = newWorkbook();
  const ws = wb.addWorksheet('审计日志');
  ws.columns = [
    { header: '时间（北京时间）', key: 'at', width: 20, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
    { header: '操作人', key: 'actorName', width: 20 },
    { header: '操作', key: 'action', width: 28 },
    { header: '对象类型', key: 'targetType', width: 16 },
    { header: '对象编号', key: 'targetId', width: 12 },
    { header: '结果', key: 'result', width: 8 },
    { header: 'IP 地址', key: 'ip', width: 16 },
    { header: '详情', key: 'detail', width: 60 },
  ];
  styleSheet(ws);
  for (const r of page.items) {
    const detail = r.detail == null ? '' : JSON.stringify(r.detail);
    ws.addRow({
      at: shanghai(r.at),
      actorName: r.actorName,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId ?? '',
      result: r.result === 'success' ? '成功' : r.result === 'failure' ? '失败' : r.result,
      ip: r.ip ?? '',
      detail: detail.length > CELL_MAX ? `${detail.slice(0, CELL_MAX)}…（已截断）` : detail,
    });
  }

  const as = wb.addWorksheet(ANCHOR_SHEET);
  as.columns = [{ width: 26 }, { width: 120 }];
  as.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  const title = as.addRow(['审计链锚点（本次导出时签名）']);
  title.font = { bold: true, size: 14 };
  const parsed = line ? parseAnchors(line, 'export').anchors[0] : undefined;
  if (parsed) {
    as.addRow([
      '签名时间（北京时间）',
      `${shanghai(parsed.at.toISOString()).toISOString().slice(0, 19).replace('T', ' ')}（UTC ${parsed.at.toISOString()}）`,
    ]);
    as.addRow(['链尾序号', parsed.seq]);
    as.addRow(['记录数', `${parsed.rows}（序号 ${parsed.head}–${parsed.seq}）`]);
    as.addRow(['链尾哈希', parsed.hash]);
    as.addRow(['签名公钥指纹（Ed25519）', parsed.key]);
    as.addRow(['锚点（完整一行，含签名）', line]);
  } else {
    as.addRow(['锚点', anchorError ? `锚点写入失败：${anchorError}（请通知运维）` : '本系统未启用审计链锚点']);
  }
  as.addRow([]);
  for (const text of [
    '用途：锚点证明导出时审计日志从链首到“链尾序号”的全部记录；之后任何人（包括掌握数据库和审计链密钥的人）改写、插入、删除或截断这些记录，校验时都会报出。',
    '保存：请打印本页并签字存档，或把本文件另存到本机以外（如审计员自己的电脑、U 盘）。只保存在服务器上的锚点可被掌握服务器的人一并替换。',
    '校验：运维在服务器上运行 npm run audit:verify -- --anchors <本文件.xlsx> --public-key <审计员保存的 audit-anchor.pub>；',
    '      只有纸质件时：npm run audit:verify -- --anchor 链尾序号:链尾哈希。',
    '核对公钥：签名公钥指纹应与首次保存的一致；不一致说明签名密钥被更换，需查明原因。',
  ])
    as.addRow(['', text]);
  if (loaded) {
    as.addRow([]);
    const recent = loaded.anchors.slice(-RECENT_ANCHORS);
    as.addRow([
      `此前的锚点（服务器锚点文件中最近 ${recent.length} 个，共 ${loaded.anchors.length} 个有效${loaded.problems.length ? `，${loaded.problems.length} 行无效` : ''}）`,
    ]).font = { bold: true };
    for (const a of recent) as.addRow([a.at.toISOString(), a.line]);
  }
  const stamp = shanghai(actor.at.toISOString()).toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return { name: `审计日志-${stamp}.xlsx`, buffer: await workbookBuffer(wb) };
}
