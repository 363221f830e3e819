import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { createFromTemplate } from './create-checklist';
import { createTeam } from './manage-teams';

/**
 * Demo data for 实地考核: the township checklist from the template and 第一考评组 with the demo
 * `assessor` scoring three townships of 清河县's round of the year under way. Through the use cases, so it is audited.
 */
export async function seedDemoAssessment(db: Db, opts: { now: Date; campaignId: number }) {
  const [admin] = await queryRows<{ id: number; display_name: string; scope_org_id: number; path: string }>(
    db,
    sql`
    select u.id, u.display_name, u.scope_org_id, o.path from auth_v_users u join organizations_v_units o on o.id = u.scope_org_id where u.username = 'admin'`,
  );
  const [assessor] = await queryRows<{ id: number }>(db, sql`select id from auth_v_users where username = 'assessor'`);
  if (!admin || !assessor) return { checklistId: null, teamId: null };
  const user: AuthUser = {
    id: admin.id,
    username: 'admin',
    displayName: admin.display_name,
    role: 'org_admin',
    scopeOrgId: admin.scope_org_id,
    orgId: null,
    scopePath: admin.path,
  };
  const actor = { actorId: admin.id, actorName: `${admin.display_name}(admin)`, ip: null, at: opts.now };
  const { id: checklistId } = await createFromTemplate(db, user, actor, opts.campaignId, { kind: 'township' });
  const towns = await queryRows<{ id: number }>(
    db,
    sql`
    select r.id from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id
    where r.campaign_id = ${opts.campaignId} and r.role = 'reporter' and r.removed_at is null and o.level = 'township'
    order by o.code limit 3`,
  );
  const { id: teamId } = await createTeam(db, user, actor, opts.campaignId, {
    name: '第一考评组',
    leaderName: '县委组织部副部长',
    memberIds: [assessor.id],
    reporterIds: towns.map((t) => t.id),
  });
  return { checklistId, teamId };
}
