import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { GRADE_LABELS, isGrade } from '../../../domain/grades';
import { DEFAULT_KEY_SHARES, DEFAULT_OTHER_KEY_SHARE, proposeKeyManagement } from '../../../domain/key-management';
import { sectorLabel } from '../../../domain/org-taxonomy';
import type { Share } from '../../../domain/quotas';
import { type DbOrTx, queryRows } from '../../db/connect';
import { keyManagement } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { styleSheet } from '../oversight/xlsx';
import { assertManageResults, assertViewResults } from './policy';
import { assertLocked, getCampaignRef, gradedReporters } from './repo';

export const KEY_STATE_LABELS: Record<string, string> = {
  proposed: '拟列入', listed: '已列入', removed: '已调出', upgraded: '已晋位升级',
};

async function minShares(db: DbOrTx, campaignId: number): Promise<Record<string, Share>> {
  const [row] = await queryRows<{ shares: Record<string, Share> | null }>(db, sql`
    select settings->'keyManagement'->'minShares' as shares from campaigns where id = ${campaignId}`);
  return row?.shares && Object.keys(row.shares).length ? row.shares : { ...DEFAULT_KEY_SHARES };
}

/**
 * Proposes the weakest per sector by composite rank (R-USE-4) from the locked results, and every 差. Organizations already on
 * the list (in any state) keep their row: a re-run after adjustments never undoes them.
 */
export async function proposeKeyList(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  await assertLocked(db, campaignId);
  const reporters = (await gradedReporters(db, campaignId)).filter((r) => r.rank !== null);
  const { listed, sectors } = proposeKeyManagement(
    reporters.map((r) => ({ orgId: String(r.orgId), name: r.orgName, sector: r.sector, rank: r.rank! })),
    await minShares(db, campaignId),
    DEFAULT_OTHER_KEY_SHARE,
  );
  const reporterOf = new Map(reporters.map((r) => [String(r.orgId), r.reporterId]));
  // "至少" allows more than the floor: an organization the committee graded 差 is among the weakest whatever its
  // composite rank (an automatic 差 can sit mid-table), so it is proposed too.
  const chosen = new Set(listed.map((l) => l.orgId));
  for (const r of reporters) {
    if (r.grade !== 'poor' || chosen.has(String(r.orgId))) continue;
    listed.push({
      orgId: String(r.orgId), name: r.orgName, sector: r.sector, rank: r.rank!, fromBottom: 0,
      reason: `综合评价等次为“差”，列入重点管理（综合排名第${r.rank}名）`,
    });
  }
  return db.transaction(async (tx) => {
    let added = 0;
    for (const l of listed) {
      const rows = await tx.insert(keyManagement).values({
        campaignId, orgId: Number(l.orgId), reporterId: reporterOf.get(l.orgId), sector: l.sector, compositeRank: l.rank,
        reason: l.reason, createdBy: user.id,
      }).onConflictDoNothing().returning({ id: keyManagement.id });
      added += rows.length;
    }
    await writeAudit(tx, actor, {
      action: 'results.key.propose', targetType: 'campaign', targetId: campaignId, scopePath: campaign.organizerPath,
      detail: { added, sectors },
    });
    return { added, sectors };
  });
}

export async function listKeyManagement(db: DbOrTx, user: AuthUser, campaignId: number, filter: { state?: string; sector?: string }) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  const rows = await queryRows<{
    id: number; orgId: number; orgName: string; sector: string; compositeRank: number | null; state: string;
    addedManually: boolean; reason: string | null; upgradeNote: string | null; grade: string | null; composite: number | null;
  }>(db, sql`
    select k.id, k.org_id as "orgId", o.name as "orgName", k.sector, k.composite_rank as "compositeRank", k.state,
           k.added_manually as "addedManually", k.reason, k.upgrade_note as "upgradeNote",
           er.final_grade as grade, er.composite::float8 as composite
    from key_management k join organizations o on o.id = k.org_id
    left join evaluation_results er on er.reporter_id = k.reporter_id
    where k.campaign_id = ${campaignId}
      ${filter.state ? sql`and k.state = ${filter.state}` : sql``}
      ${filter.sector ? sql`and k.sector = ${filter.sector}` : sql``}
    order by k.sector, k.composite_rank desc nulls last`);
  // The floor per sector is checked against what is on the list now, after adjustments.
  const reporters = await gradedReporters(db, campaignId);
  const shares = await minShares(db, campaignId);
  const totals = new Map<string, number>();
  for (const r of reporters) totals.set(r.sector, (totals.get(r.sector) ?? 0) + 1);
  const { sectors } = proposeKeyManagement(
    reporters.filter((r) => r.rank !== null).map((r) => ({ orgId: String(r.orgId), name: r.orgName, sector: r.sector, rank: r.rank! })),
    shares, DEFAULT_OTHER_KEY_SHARE,
  );
  const active = (s: string) => rows.filter((r) => r.sector === s && (r.state === 'proposed' || r.state === 'listed' || r.state === 'upgraded')).length;
  return {
    items: rows.map((r) => ({ ...r, sectorLabel: sectorLabel(r.sector), stateLabel: KEY_STATE_LABELS[r.state] ?? r.state })),
    sectors: sectors.map((s) => ({
      ...s, sectorLabel: sectorLabel(s.sector), onList: active(s.sector),
      short: Math.max(0, s.required - active(s.sector)),
    })),
  };
}

const KEY_AUDIT = {
  remove: { action: 'results.key.remove' },
  confirm: { action: 'results.key.confirm' },
  upgrade: { action: 'results.key.upgrade' },
} as const;

export type KeyAction =
  | { action: 'add'; orgId: number; reason: string }
  | { action: 'remove'; reason: string }
  | { action: 'confirm' }
  | { action: 'upgrade'; note: string };

/** Adjustments need a reason (R-USE-4 "adjusted with reasons"); 晋位升级 ends the tracking with a note. */
export async function adjustKeyManagement(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number, id: number | null, a: KeyAction) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageResults(user, campaign);
    if (a.action === 'add') {
      const [r] = await queryRows<{ reporterId: number; sector: string; rank: number | null }>(tx, sql`
        select r.id as "reporterId", o.sector, er.rank from campaign_reporters r join organizations o on o.id = r.org_id
        left join evaluation_results er on er.reporter_id = r.id
        where r.campaign_id = ${campaignId} and r.org_id = ${a.orgId} and r.role = 'reporter' and r.removed_at is null`);
      if (!r) throw new AppError('REPORTER_NOT_IN_CAMPAIGN', '该党组织不是本次述职评议考核的述职对象', 400, { field: 'orgId' });
      const [row] = await tx.insert(keyManagement).values({
        campaignId, orgId: a.orgId, reporterId: r.reporterId, sector: r.sector, compositeRank: r.rank, state: 'listed',
        addedManually: true, reason: a.reason, createdBy: user.id,
      }).onConflictDoNothing().returning({ id: keyManagement.id });
      if (!row) throw new AppError('KEY_ALREADY_LISTED', '该党组织已在重点管理名单中', 409);
      await writeAudit(tx, actor, { action: 'results.key.add', targetType: 'key_management', targetId: row.id, scopePath: campaign.organizerPath, detail: a });
      return { id: row.id, state: 'listed' };
    }
    const [row] = await tx.select().from(keyManagement)
      .where(and(eq(keyManagement.id, id ?? 0), eq(keyManagement.campaignId, campaignId))).for('no key update');
    if (!row) throw notFound('重点管理对象');
    const allowed: Record<string, string[]> = { remove: ['proposed', 'listed'], confirm: ['proposed'], upgrade: ['listed'] };
    if (!allowed[a.action].includes(row.state)) {
      throw new AppError('KEY_STATE', `当前状态为「${KEY_STATE_LABELS[row.state]}」，不能进行该操作`, 409);
    }
    const next = { remove: 'removed', confirm: 'listed', upgrade: 'upgraded' }[a.action];
    await tx.update(keyManagement).set({
      state: next, updatedAt: actor.at,
      ...(a.action === 'remove' ? { reason: `${row.reason ?? ''}\n调出理由：${a.reason}`.trim() } : {}),
      ...(a.action === 'upgrade' ? { upgradeNote: a.note, upgradedAt: actor.at } : {}),
    }).where(eq(keyManagement.id, row.id));
    await writeAudit(tx, actor, {
      ...KEY_AUDIT[a.action], targetType: 'key_management', targetId: row.id, scopePath: campaign.organizerPath,
      detail: { orgId: row.orgId, from: row.state, to: next, ...a },
    });
    return { id: row.id, state: next };
  });
}

export async function exportKeyManagement(db: DbOrTx, user: AuthUser, campaignId: number): Promise<Buffer> {
  const { items } = await listKeyManagement(db, user, campaignId, {});
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点管理名单');
  ws.columns = [
    { header: '党组织', key: 'org', width: 30 }, { header: '领域', key: 'sector', width: 10 },
    { header: '综合排名', key: 'rank', width: 10 }, { header: '综合评价等次', key: 'grade', width: 12 },
    { header: '状态', key: 'state', width: 12 }, { header: '列入/调整理由', key: 'reason', width: 60 }, { header: '晋位升级情况', key: 'up', width: 40 },
  ];
  for (const r of items.filter((i) => i.state !== 'removed')) {
    ws.addRow({ org: r.orgName, sector: r.sectorLabel, rank: r.compositeRank, grade: isGrade(r.grade) ? GRADE_LABELS[r.grade] : '', state: r.stateLabel, reason: r.reason ?? '', up: r.upgradeNote ?? '' });
  }
  styleSheet(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
