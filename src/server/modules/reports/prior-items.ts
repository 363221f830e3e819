import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connect';
import { priorRectificationItems } from '../../db/schema';

/**
 * Adds a line to an organization's preparation list (prior_rectification_items, which the report checks read) unless
 * a line with the same reference is there — a removed one included, so a removal is not undone by running the
 * carry-over again. True when it was added. The rectification carry-over (R-FIX-4, R-PREP-1) calls it in its
 * transaction; the list is the reports module's table (decision 022).
 */
export async function addPriorItemOnce(
  tx: DbOrTx,
  item: { campaignId: number; orgId: number; reference: string; text: string; createdBy: number; at: Date },
): Promise<boolean> {
  const [listed] = await tx
    .select({ id: priorRectificationItems.id })
    .from(priorRectificationItems)
    .where(
      and(
        eq(priorRectificationItems.campaignId, item.campaignId),
        eq(priorRectificationItems.orgId, item.orgId),
        eq(priorRectificationItems.reference, item.reference),
      ),
    )
    .limit(1);
  if (listed) return false;
  await tx.insert(priorRectificationItems).values({
    campaignId: item.campaignId,
    orgId: item.orgId,
    reference: item.reference,
    text: item.text,
    createdBy: item.createdBy,
    createdAt: item.at,
  });
  return true;
}
