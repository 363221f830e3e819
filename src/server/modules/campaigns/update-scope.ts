import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { onBranch, pathWithin } from '../../../domain/roles';
import type { OrgMatch } from '../../../domain/routes';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertEditable } from './guards';
import { assertWrite } from './policy';
import { asCampaign, getCampaign } from './repo';
import { computeScope } from './scope';
import { presentSummary } from './present';

/** Sets which organizations report (R-ORG-3); every selected one must be within the user's own subtree. */
export async function updateScope(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, match: OrgMatch) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    assertEditable(c);
    const before = await computeScope(
      tx,
      { settings: c.settings, scopeMatch: c.scopeMatch, organizer },
      { strict: false },
    ).then(
      (s) => s.scopeIds.length,
      () => 0,
    );
    const scope = await computeScope(tx, { settings: c.settings, scopeMatch: match, organizer }, { strict: false });
    for (const ref of [match.subtreeOf, ...(match.orgIds ?? [])]) {
      // Another county's organization is answered as a missing one (issue 15).
      if (ref !== undefined && !(scope.byId.has(ref) && onBranch(scope.byId.get(ref)!.path, user.scopePath))) {
        throw new AppError('UNKNOWN_ORG', `范围中的党组织（编号${ref}）不存在或不在本组织体系内`, { field: 'match' });
      }
    }
    const outside = scope.scopeIds.map((i) => scope.byId.get(i)!).find((o) => !pathWithin(o.path, user.scopePath));
    if (outside) {
      const what = onBranch(outside.path, user.scopePath) ? `「${outside.name}」` : '范围中有党组织';
      throw new AppError('FORBIDDEN', `${what}不在您的管理范围内，不能列入述职范围`);
    }
    const row = (
      await tx.update(campaigns).set({ scopeMatch: match, updatedAt: actor.at }).where(eq(campaigns.id, id)).returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'campaign.scope.update',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { before: c.scopeMatch, after: match, countBefore: before, countAfter: scope.scopeIds.length },
    });
    return { campaign: presentSummary(asCampaign(row), organizer), total: scope.scopeIds.length };
  });
}
