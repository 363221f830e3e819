import type { DbOrTx } from '../../db/connect';
import { researchVisits, visitProblems } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { shanghaiDate } from '../../../domain/calendar';
import { assertVisitDate, visitCampaign, visitedOrgIn } from './visit-rules';

export interface VisitInput {
  orgId: number;
  visitedOn: string;
  visitors: string;
  seen: string;
  problems: string[];
}

/** Records a 不打招呼、随机走访 visit (R-PREP-2); each problem becomes its own row for later rectification. */
export async function createVisit(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: VisitInput,
) {
  return db.transaction(async (tx) => {
    const campaign = await visitCampaign(tx, user, campaignId);
    const org = await visitedOrgIn(tx, campaign.organizerPath, input.orgId);
    assertVisitDate(input.visitedOn, shanghaiDate(actor.at));
    const visit = (
      await tx
        .insert(researchVisits)
        .values({
          campaignId,
          orgId: org.id,
          visitedOn: input.visitedOn,
          visitors: input.visitors,
          seen: input.seen,
          authorId: user.id,
          createdAt: actor.at,
          updatedAt: actor.at,
        })
        .returning()
    )[0]!;
    const problems = input.problems.length
      ? await tx
          .insert(visitProblems)
          .values(
            input.problems.map((text, i) => ({
              visitId: visit.id,
              campaignId,
              orgId: org.id,
              position: i + 1,
              text,
              sourceId: visit.id,
              createdAt: actor.at,
            })),
          )
          .returning({ id: visitProblems.id })
      : [];
    await writeAudit(tx, actor, {
      action: 'oversight.visit.create',
      targetType: 'research_visit',
      targetId: visit.id,
      scopePath: org.path,
      detail: {
        campaignId,
        orgId: org.id,
        visitedOn: input.visitedOn,
        visitors: input.visitors,
        seen: input.seen,
        problems: input.problems,
      },
    });
    return { id: visit.id, problemIds: problems.map((p) => p.id) };
  });
}
