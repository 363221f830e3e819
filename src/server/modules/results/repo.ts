import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { isGrade, type Grade } from '../../../domain/grades';
import { type DbOrTx, queryRows } from '../../db/connect';

export { getCampaignRef, type CampaignRef } from '../oversight/repo';

/** Results are applied only from the committee's locked decision (R-GRADE-4 → R-USE). */
export async function assertLocked(db: DbOrTx, campaignId: number): Promise<{ lockedAt: string }> {
  const [row] = await queryRows<{ state: string; lockedAt: string | null }>(
    db,
    sql`
    select state, to_char(locked_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as "lockedAt" from evaluation_v_state where campaign_id = ${campaignId}`,
  );
  if (row?.state !== 'locked' || !row.lockedAt) {
    throw new AppError('EVALUATION_NOT_LOCKED', '综合评价结果尚未经党委（党组）审定锁定，不能进行结果运用');
  }
  return { lockedAt: row.lockedAt };
}

export interface GradedReporter {
  reporterId: number;
  orgId: number;
  orgName: string;
  orgCode: string;
  sector: string;
  reportToOrgId: number;
  secretaryName: string | null;
  composite: number | null;
  rank: number | null;
  sectorRank: number | null;
  grade: Grade | null;
}

/** Reporters (upward reports only; 下评 is not graded into the results) with their locked results. */
export async function gradedReporters(db: DbOrTx, campaignId: number): Promise<GradedReporter[]> {
  const rows = await queryRows<GradedReporter & { composite: string | number | null }>(
    db,
    sql`
    select r.id as "reporterId", r.org_id as "orgId", o.name as "orgName", o.code as "orgCode", o.sector,
           r.report_to_org_id as "reportToOrgId", s.name as "secretaryName",
           er.composite, er.rank, er.sector_rank as "sectorRank", er.final_grade as grade
    from campaigns_v_reporters r
    join organizations_v_units o on o.id = r.org_id
    left join organizations_v_secretaries s on s.id = r.secretary_id
    left join evaluation_v_results er on er.reporter_id = r.id
    where r.campaign_id = ${campaignId} and r.role = 'reporter' and r.removed_at is null
    order by er.rank nulls last, o.code`,
  );
  return rows.map((r) => ({
    ...r,
    composite: r.composite === null ? null : Number(r.composite),
    grade: isGrade(r.grade) ? r.grade : null,
  }));
}

export { addDays, shanghaiDate as today } from '../../../domain/calendar';
