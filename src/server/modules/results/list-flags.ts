import { sql } from 'drizzle-orm';
import { GRADE_LABELS, isGrade } from '../../../domain/grades';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertViewResults } from './policy';
import { getCampaignRef } from './repo';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

export const FLAG_LABELS: Record<string, string> = {
  no_excellent: '年度考核不得评优秀',
  talk: '约谈提醒',
  rectify: '限期整改',
  three_years_fair: '连续三年较好',
};

export interface FlagRow {
  id: number;
  reporterId: number;
  orgId: number;
  orgName: string;
  orgCode: string;
  secretaryName: string | null;
  grade: string | null;
  code: string;
  label: string;
  detail: string;
}

export async function listFlags(db: DbOrTx, user: AuthUser, campaignId: number, filter: { code?: string; q?: string }) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  const rows = await queryRows<Omit<FlagRow, 'label'>>(
    db,
    sql`
    select f.id, f.reporter_id as "reporterId", f.org_id as "orgId", o.name as "orgName", o.code as "orgCode",
           s.name as "secretaryName", er.final_grade as grade, f.code, f.detail
    from result_flags f
    join organizations_v_units o on o.id = f.org_id
    join campaigns_v_reporters r on r.id = f.reporter_id
    left join organizations_v_secretaries s on s.id = r.secretary_id
    left join evaluation_v_results er on er.reporter_id = f.reporter_id
    where f.campaign_id = ${campaignId}
      ${filter.code ? sql`and f.code = ${filter.code}` : sql``}
      ${filter.q ? sql`and (o.name like ${`%${escapeLike(filter.q)}%`} or s.name like ${`%${escapeLike(filter.q)}%`})` : sql``}
    order by o.code, f.code`,
  );
  return rows.map((r) => ({ ...r, label: FLAG_LABELS[r.code] ?? r.code }));
}

/** The list the cadre-assessment office needs (R-USE-1): who may not be rated 优秀, and why. */
export async function exportFlags(db: DbOrTx, user: AuthUser, campaignId: number): Promise<Buffer> {
  const rows = await listFlags(db, user, campaignId, {});
  const wb = newWorkbook();
  const ws = wb.addWorksheet('结果运用');
  ws.columns = [
    { header: '党组织', key: 'org', width: 30 },
    { header: '组织编码', key: 'code', width: 14 },
    { header: '书记', key: 'sec', width: 10 },
    { header: '综合评价等次', key: 'grade', width: 12 },
    { header: '结果运用', key: 'label', width: 18 },
    { header: '说明', key: 'detail', width: 60 },
  ];
  for (const r of rows) {
    ws.addRow({
      org: r.orgName,
      code: r.orgCode,
      sec: r.secretaryName ?? '',
      grade: isGrade(r.grade) ? GRADE_LABELS[r.grade] : '',
      label: r.label,
      detail: r.detail,
    });
  }
  styleSheet(ws);
  return workbookBuffer(wb);
}
