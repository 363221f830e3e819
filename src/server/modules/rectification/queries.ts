import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the rectification module offers other modules to read (decision 022): typed rows, not its base tables. */

/** The item made from a given source (e.g. a comment theme draft accepted in the inbox), if any. */
export async function itemFromSource(
  db: DbOrTx,
  sourceType: string,
  sourceId: number,
): Promise<{ id: number } | undefined> {
  const [item] = await queryRows<{ id: number }>(
    db,
    sql`
    select id from rectification_items where source_type = ${sourceType} and source_id = ${sourceId}`,
  );
  return item;
}

/** An item's campaign and organization, without access checks (the caller checks its own). */
export async function itemRef(
  db: DbOrTx,
  itemId: number,
): Promise<{ id: number; campaignId: number; orgId: number } | undefined> {
  const [item] = await queryRows<{ id: number; campaignId: number; orgId: number }>(
    db,
    sql`
    select id, campaign_id as "campaignId", org_id as "orgId" from rectification_items where id = ${itemId}`,
  );
  return item;
}
