import { sql } from 'drizzle-orm';
import { methodLabel } from '../../../domain/checklist';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { computeProgress, type ProgressFilter, STATUS_LABELS } from './list-progress';
import { assertViewAll } from './policy';
import { getCampaignRef } from './repo';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

/** 实地考核得分: one row per reporter (as the progress table, same filters) and one per scored item. */
export async function exportScores(db: DbOrTx, user: AuthUser, campaignId: number, filter: ProgressFilter) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewAll(user, campaign);
  const { items } = await computeProgress(db, user, campaign, { ...filter, offset: 0, limit: undefined });
  const wb = newWorkbook();
  const ws = wb.addWorksheet('得分汇总');
  ws.columns = [
    { header: '述职党组织', key: 'orgName', width: 32 },
    { header: '书记', key: 'secretaryName', width: 10 },
    { header: '考评组', key: 'teamName', width: 14 },
    { header: '考核细则', key: 'checklistTitle', width: 30 },
    { header: '状态', key: 'status', width: 8 },
    { header: '考核项目数', key: 'items', width: 10 },
    { header: '已评项目数', key: 'scored', width: 10 },
    { header: '不合格项数', key: 'failed', width: 10 },
    { header: '得分', key: 'score', width: 8 },
    { header: '已评项目满分', key: 'maxScored', width: 12 },
    { header: '百分制得分', key: 'percent', width: 10 },
    { header: '提交时间', key: 'completedAt', width: 18, style: { numFmt: 'yyyy-mm-dd hh:mm' } },
  ];
  for (const r of items) {
    ws.addRow({
      ...r,
      status: STATUS_LABELS[r.status],
      teamName: r.teamName ?? '',
      checklistTitle: r.checklistTitle ?? '（无适用细则）',
      completedAt: r.completedAt ? new Date(r.completedAt) : null,
    });
  }
  styleSheet(ws);

  const detail = wb.addWorksheet('评分明细');
  detail.columns = [
    { header: '述职党组织', key: 'orgName', width: 32 },
    { header: '部分', key: 'section', width: 14 },
    { header: '考核内容', key: 'title', width: 40 },
    { header: '考核方式', key: 'method', width: 10 },
    { header: '分值', key: 'maxPoints', width: 8 },
    { header: '得分', key: 'score', width: 8 },
    { header: '是否不合格', key: 'failed', width: 10 },
    { header: '问题说明', key: 'note', width: 40 },
    { header: '评分人', key: 'scoredBy', width: 12 },
  ];
  const ids = items.map((r) => r.reporterId);
  if (ids.length) {
    const rows = await queryRows<{
      reporterId: number;
      section: string;
      title: string;
      method: string;
      maxPoints: number;
      score: number;
      failed: boolean;
      note: string | null;
      scoredBy: string | null;
    }>(
      db,
      sql`
      select f.reporter_id as "reporterId", i.section, i.title, i.method, i.max_points::float8 as "maxPoints", f.score::float8 as score,
             f.failed, f.note, u.display_name as "scoredBy"
      from field_scores f join checklist_items i on i.id = f.item_id and i.removed_at is null left join auth_v_users u on u.id = f.scored_by
      where f.reporter_id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})
      order by f.reporter_id, i.checklist_id, i.position, i.id`,
    );
    const order = new Map(items.map((r, i) => [r.reporterId, i]));
    const name = new Map(items.map((r) => [r.reporterId, r.orgName]));
    rows.sort((a, b) => order.get(a.reporterId)! - order.get(b.reporterId)!);
    for (const r of rows) {
      detail.addRow({
        ...r,
        orgName: name.get(r.reporterId),
        method: methodLabel(r.method),
        failed: r.failed ? '是' : '否',
        note: r.note ?? '',
        scoredBy: r.scoredBy ?? '',
      });
    }
  }
  styleSheet(detail);
  const buffer = await workbookBuffer(wb);
  return { name: `${campaign.title}-实地考核得分.xlsx`, buffer };
}
