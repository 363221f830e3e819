import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { Grade } from '../../../domain/grades';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';

/**
 * A secretary's own result (R-GRADE-4, R-GRADE-6 feedback to the person): nothing — no grade, suggestion or rank —
 * before the committee locks; afterwards only the final grade and the written opinion of their own organization.
 */
export async function myResult(db: DbOrTx, user: AuthUser, campaignId: number) {
  if (user.role !== 'secretary' || !user.orgId)
    throw new AppError('FORBIDDEN', '只有述职的党组织书记可以查看本人的评价结果');
  const [row] = await queryRows<{
    reporter_id: number;
    org_name: string;
    state: string | null;
    locked_at: string | Date | null;
    final_grade: Grade | null;
    opinion_achievements: string | null;
    opinion_problems: string | null;
    opinion_direction: string | null;
  }>(
    db,
    sql`
    select cr.id as reporter_id, o.name as org_name, e.state, e.locked_at,
      case when e.state = 'locked' then er.final_grade end as final_grade,
      case when e.state = 'locked' then er.opinion_achievements end as opinion_achievements,
      case when e.state = 'locked' then er.opinion_problems end as opinion_problems,
      case when e.state = 'locked' then er.opinion_direction end as opinion_direction
    from campaigns_v_reporters cr join organizations_v_units o on o.id = cr.org_id
    left join evaluations e on e.campaign_id = cr.campaign_id
    left join evaluation_results er on er.reporter_id = cr.id
    where cr.campaign_id = ${campaignId} and cr.org_id = ${user.orgId} and cr.role = 'reporter' and cr.removed_at is null`,
  );
  if (!row) throw new AppError('FORBIDDEN', '本组织不是该考核的述职对象');
  if (row.state !== 'locked') {
    return { locked: false as const, orgName: row.org_name, message: '综合评价等次经党委研究确定后公布' };
  }
  return {
    locked: true as const,
    orgName: row.org_name,
    lockedAt: new Date(row.locked_at!).toISOString(),
    finalGrade: row.final_grade,
    opinion: {
      achievements: row.opinion_achievements,
      problems: row.opinion_problems,
      direction: row.opinion_direction,
    },
  };
}
