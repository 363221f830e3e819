import { and, eq, isNull } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { researchVisits, visitProblems } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertVisitAuthor } from './policy';
import { shanghaiDate } from '../../../domain/calendar';
import { assertVisitDate, visitCampaign, visitedOrgIn } from './visit-rules';

export interface VisitPatch {
  orgId?: number;
  visitedOn?: string;
  visitors?: string;
  seen?: string;
  /** The full problem list after the edit: rows with an id keep it (so references survive), rows without are new. */
  problems?: { id?: number; text: string }[];
}

/**
 * A correction by the author. There is no delete: a problem left out of the list is withdrawn
 * (kept, marked), and the audit row holds the before and after of everything changed.
 */
export async function updateVisit(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  visitId: number,
  patch: VisitPatch,
) {
  return db.transaction(async (tx) => {
    const campaign = await visitCampaign(tx, user, campaignId);
    const [visit] = await tx
      .select()
      .from(researchVisits)
      .where(and(eq(researchVisits.id, visitId), eq(researchVisits.campaignId, campaignId)));
    if (!visit) throw notFound('调研走访记录');
    assertVisitAuthor(user, visit.authorId);
    const org = await visitedOrgIn(tx, campaign.organizerPath, patch.orgId ?? visit.orgId);
    if (patch.visitedOn) assertVisitDate(patch.visitedOn, shanghaiDate(actor.at));

    const fields = {
      ...(patch.orgId !== undefined && { orgId: patch.orgId }),
      ...(patch.visitedOn !== undefined && { visitedOn: patch.visitedOn }),
      ...(patch.visitors !== undefined && { visitors: patch.visitors }),
      ...(patch.seen !== undefined && { seen: patch.seen }),
    };
    const before = { orgId: visit.orgId, visitedOn: visit.visitedOn, visitors: visit.visitors, seen: visit.seen };
    const problemChanges: {
      added: string[];
      changed: { id: number; before: string; after: string }[];
      withdrawn: { id: number; text: string }[];
    } = { added: [], changed: [], withdrawn: [] };

    if (patch.problems) {
      const current = await tx
        .select()
        .from(visitProblems)
        .where(and(eq(visitProblems.visitId, visitId), isNull(visitProblems.withdrawnAt)));
      const byId = new Map(current.map((p) => [p.id, p]));
      const kept = new Set<number>();
      for (const p of patch.problems) {
        if (p.id === undefined) continue;
        if (!byId.has(p.id) || kept.has(p.id)) {
          throw new AppError('VALIDATION', `问题（编号 ${p.id}）不属于该走访记录或已撤回`, { field: 'problems' });
        }
        kept.add(p.id);
      }
      for (const [i, p] of patch.problems.entries()) {
        if (p.id === undefined) {
          await tx.insert(visitProblems).values({
            visitId,
            campaignId,
            orgId: org.id,
            position: i + 1,
            text: p.text,
            sourceId: visitId,
            createdAt: actor.at,
          });
          problemChanges.added.push(p.text);
        } else {
          const old = byId.get(p.id)!;
          await tx
            .update(visitProblems)
            .set({ text: p.text, position: i + 1, orgId: org.id })
            .where(eq(visitProblems.id, p.id));
          if (old.text !== p.text) problemChanges.changed.push({ id: p.id, before: old.text, after: p.text });
        }
      }
      for (const old of current) {
        if (kept.has(old.id)) continue;
        await tx.update(visitProblems).set({ withdrawnAt: actor.at }).where(eq(visitProblems.id, old.id));
        problemChanges.withdrawn.push({ id: old.id, text: old.text });
      }
    } else if (patch.orgId !== undefined && patch.orgId !== visit.orgId) {
      await tx.update(visitProblems).set({ orgId: org.id }).where(eq(visitProblems.visitId, visitId));
    }
    await tx
      .update(researchVisits)
      .set({ ...fields, updatedAt: actor.at })
      .where(eq(researchVisits.id, visitId));
    await writeAudit(tx, actor, {
      action: 'oversight.visit.update',
      targetType: 'research_visit',
      targetId: visitId,
      scopePath: org.path,
      detail: { campaignId, before, after: fields, problems: problemChanges },
    });
    return { id: visitId };
  });
}
