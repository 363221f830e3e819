import { and, eq, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { GRADE_LABELS, isGrade } from '../../../domain/grades';
import { KEY_SCOPES } from '../../../domain/campaign-settings';
import { competitionRanks } from '../../../domain/composite';
import { DEFAULT_KEY_SHARES, DEFAULT_OTHER_KEY_SHARE, proposeKeyManagement } from '../../../domain/key-management';
import { sectorLabel } from '../../../domain/org-taxonomy';
import type { Share } from '../../../domain/quotas';
import { type DbOrTx, queryRows } from '../../db/connect';
import { keyManagement } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageResults, assertViewResults } from './policy';
import { descendantsCte } from '../oversight/repo';
import { assertLocked, getCampaignRef, gradedReporters } from './repo';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

export const KEY_STATE_LABELS: Record<string, string> = {
  proposed: '拟列入',
  listed: '已列入',
  removed: '已调出',
  upgraded: '已晋位升级',
};

interface KeySettings {
  shares: Record<string, Share>;
  /** own_round: this round's reporters; sub_rounds: every lower round's reporters on one scale (004). */
  scope: 'own_round' | 'sub_rounds';
  /** The upper round that decides for this one (its scope is sub_rounds), when there is one. */
  decidedAbove: string | null;
}

async function keySettings(db: DbOrTx, campaignId: number): Promise<KeySettings> {
  const [row] = await queryRows<{
    shares: Record<string, Share> | null;
    scope: string | null;
    parentScope: string | null;
    parentName: string | null;
  }>(
    db,
    sql`
    select c.settings->'keyManagement'->'minShares' as shares, c.settings->'keyManagement'->>'scope' as scope,
           p.settings->'keyManagement'->>'scope' as "parentScope", po.name as "parentName"
    from campaigns_v_campaigns c left join campaigns_v_campaigns p on p.id = c.parent_id left join organizations_v_units po on po.id = p.organizer_org_id
    where c.id = ${campaignId}`,
  );
  return {
    shares: row?.shares && Object.keys(row.shares).length ? row.shares : { ...DEFAULT_KEY_SHARES },
    scope: row?.scope === 'sub_rounds' ? 'sub_rounds' : 'own_round',
    decidedAbove: row?.parentScope === 'sub_rounds' ? row.parentName : null,
  };
}

interface KeyCandidateRow {
  reporterId: number;
  orgId: number;
  orgName: string;
  sector: string;
  grade: string | null;
  composite: number | null;
  /** Rank on the scale the list is decided on: the round's composite rank, or one ranking of every lower round. */
  rank: number | null;
  roundName: string;
}

/**
 * The organizations key management chooses from (R-USE-4). 004 四(三): the city's organization department decides
 * "按照农村不低于10%、社区和其他基层党组织不低于5%" across the villages, communities and other grassroots organizations of
 * all its townships' rounds, so in `sub_rounds` scope every lower round's reporters are ranked together by their
 * locked composite score (competition ranking, one scale), not inside each round. Every lower round must be locked.
 */
async function keyCandidates(
  db: DbOrTx,
  campaignId: number,
  ks: KeySettings,
): Promise<{ candidates: KeyCandidateRow[]; unlocked: string[]; rounds: number }> {
  if (ks.scope === 'own_round') {
    const [own] = await queryRows<{ name: string }>(
      db,
      sql`
      select o.name from campaigns_v_campaigns c join organizations_v_units o on o.id = c.organizer_org_id where c.id = ${campaignId}`,
    );
    const reporters = await gradedReporters(db, campaignId);
    return {
      candidates: reporters.map((r) => ({ ...r, roundName: own?.name ?? '' })),
      unlocked: [],
      rounds: 1,
    };
  }
  const rounds = await queryRows<{ id: number; name: string; state: string | null }>(
    db,
    sql`
    with recursive ${descendantsCte(campaignId)}
    select c.id, o.name, e.state from tree t join campaigns_v_campaigns c on c.id = t.id join organizations_v_units o on o.id = c.organizer_org_id
    left join evaluation_v_state e on e.campaign_id = c.id
    where t.depth > 0 order by o.code`,
  );
  const unlocked = rounds.filter((r) => r.state !== 'locked').map((r) => r.name);
  const rows = await queryRows<Omit<KeyCandidateRow, 'rank'> & { composite: string | number | null }>(
    db,
    sql`
    with recursive ${descendantsCte(campaignId)}
    select r.id as "reporterId", r.org_id as "orgId", o.name as "orgName", o.sector, er.final_grade as grade, er.composite,
           ro.name as "roundName"
    from tree t join campaigns_v_campaigns c on c.id = t.id and t.depth > 0
    join evaluation_v_state e on e.campaign_id = c.id and e.state = 'locked'
    join organizations_v_units ro on ro.id = c.organizer_org_id
    join campaigns_v_reporters r on r.campaign_id = c.id and r.role = 'reporter' and r.removed_at is null
    join organizations_v_units o on o.id = r.org_id
    left join evaluation_v_results er on er.reporter_id = r.id
    order by o.code`,
  );
  const composites = rows.map((r) => (r.composite === null ? null : Number(r.composite)));
  const { rank } = competitionRanks(composites);
  return {
    candidates: rows.map((r, i) => ({ ...r, composite: composites[i]!, rank: rank[i]! })),
    unlocked,
    rounds: rounds.length,
  };
}

const SUB_SCOPE_LABEL = '各下级述职评议考核中';

function propose(c: KeyCandidateRow[], ks: KeySettings) {
  return proposeKeyManagement(
    c
      .filter((r) => r.rank !== null)
      .map((r) => ({ orgId: String(r.orgId), name: r.orgName, sector: r.sector, rank: r.rank! })),
    ks.shares,
    DEFAULT_OTHER_KEY_SHARE,
    ks.scope === 'sub_rounds' ? SUB_SCOPE_LABEL : '',
  );
}

function assertDecidesHere(ks: KeySettings) {
  if (ks.decidedAbove) {
    throw new AppError(
      'KEY_DECIDED_ABOVE',
      `重点管理名单由「${ks.decidedAbove}」在各下级述职评议考核结果中统一排序确定`,
    );
  }
}

/**
 * Proposes the weakest per sector by rank (R-USE-4) from the locked results, and every 差. Organizations already on
 * the list (in any state) keep their row: a re-run after adjustments never undoes them.
 */
export async function proposeKeyList(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  const ks = await keySettings(db, campaignId);
  assertDecidesHere(ks);
  await assertLocked(db, campaignId);
  const { candidates, unlocked, rounds } = await keyCandidates(db, campaignId, ks);
  if (ks.scope === 'sub_rounds' && !rounds) {
    throw new AppError('NO_SUB_ROUNDS');
  }
  if (unlocked.length) {
    throw new AppError(
      'SUB_ROUNDS_NOT_LOCKED',
      `以下下级述职评议考核的综合评价尚未锁定，不能统一排序：${unlocked.join('、')}`,
      { unlocked },
    );
  }
  const reporters = candidates.filter((r) => r.rank !== null);
  const { listed, sectors } = propose(reporters, ks);
  const reporterOf = new Map(reporters.map((r) => [String(r.orgId), r]));
  // "至少" allows more than the floor: an organization the committee graded 差 is among the weakest whatever its
  // composite rank (an automatic 差 can sit mid-table), so it is proposed too.
  const chosen = new Set(listed.map((l) => l.orgId));
  for (const r of reporters) {
    if (r.grade !== 'poor' || chosen.has(String(r.orgId))) continue;
    listed.push({
      orgId: String(r.orgId),
      name: r.orgName,
      sector: r.sector,
      rank: r.rank!,
      fromBottom: 0,
      reason: `综合评价等次为“差”，列入重点管理（${ks.scope === 'sub_rounds' ? '统一排序' : '综合排名'}第${r.rank}名）`,
    });
  }
  return db.transaction(async (tx) => {
    let added = 0;
    for (const l of listed) {
      const r = reporterOf.get(l.orgId)!;
      const rows = await tx
        .insert(keyManagement)
        .values({
          campaignId,
          orgId: Number(l.orgId),
          reporterId: r.reporterId,
          sector: l.sector,
          compositeRank: l.rank,
          reason:
            ks.scope === 'sub_rounds' ? `${l.reason}（${r.roundName}述职评议考核，综合得分${r.composite}）` : l.reason,
          createdBy: user.id,
        })
        .onConflictDoNothing()
        .returning({ id: keyManagement.id });
      added += rows.length;
    }
    await writeAudit(tx, actor, {
      action: 'results.key.propose',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { added, sectors, scope: ks.scope },
    });
    return { added, sectors };
  });
}

export async function listKeyManagement(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  filter: { state?: string; sector?: string },
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  const ks = await keySettings(db, campaignId);
  const rows = await queryRows<{
    id: number;
    orgId: number;
    orgName: string;
    sector: string;
    compositeRank: number | null;
    state: string;
    addedManually: boolean;
    reason: string | null;
    upgradeNote: string | null;
    grade: string | null;
    composite: number | null;
    roundName: string | null;
  }>(
    db,
    sql`
    select k.id, k.org_id as "orgId", o.name as "orgName", k.sector, k.composite_rank as "compositeRank", k.state,
           k.added_manually as "addedManually", k.reason, k.upgrade_note as "upgradeNote",
           er.final_grade as grade, er.composite::float8 as composite, ro.name as "roundName"
    from key_management k join organizations_v_units o on o.id = k.org_id
    left join evaluation_v_results er on er.reporter_id = k.reporter_id
    left join campaigns_v_reporters kr on kr.id = k.reporter_id
    left join campaigns_v_campaigns rc on rc.id = kr.campaign_id
    left join organizations_v_units ro on ro.id = rc.organizer_org_id
    where k.campaign_id = ${campaignId}
      ${filter.state ? sql`and k.state = ${filter.state}` : sql``}
      ${filter.sector ? sql`and k.sector = ${filter.sector}` : sql``}
    order by k.sector, k.composite_rank desc nulls last`,
  );
  // The floor per sector is checked against what is on the list now, after adjustments.
  const { candidates, unlocked, rounds } = ks.decidedAbove
    ? { candidates: [], unlocked: [], rounds: 0 }
    : await keyCandidates(db, campaignId, ks);
  const { sectors } = propose(candidates, ks);
  const active = (s: string) =>
    rows.filter((r) => r.sector === s && (r.state === 'proposed' || r.state === 'listed' || r.state === 'upgraded'))
      .length;
  return {
    scope: {
      mode: ks.scope,
      label: KEY_SCOPES.find((x) => x.code === ks.scope)!.label,
      rounds,
      unlocked,
      decidedAbove: ks.decidedAbove,
    },
    items: rows.map((r) => ({
      ...r,
      sectorLabel: sectorLabel(r.sector),
      stateLabel: KEY_STATE_LABELS[r.state] ?? r.state,
    })),
    sectors: sectors.map((s) => ({
      ...s,
      sectorLabel: sectorLabel(s.sector),
      onList: active(s.sector),
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
export async function adjustKeyManagement(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  id: number | null,
  a: KeyAction,
) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageResults(user, campaign);
    const ks = await keySettings(tx, campaignId);
    assertDecidesHere(ks);
    if (a.action === 'add') {
      const r =
        ks.scope === 'sub_rounds'
          ? (await keyCandidates(tx, campaignId, ks)).candidates.find((c) => c.orgId === a.orgId)
          : (
              await queryRows<{ reporterId: number; sector: string; rank: number | null }>(
                tx,
                sql`
          select r.id as "reporterId", o.sector, er.rank from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id
          left join evaluation_v_results er on er.reporter_id = r.id
          where r.campaign_id = ${campaignId} and r.org_id = ${a.orgId} and r.role = 'reporter' and r.removed_at is null`,
              )
            )[0];
      if (!r) {
        throw new AppError(
          'NOT_A_REPORTER',
          ks.scope === 'sub_rounds'
            ? '该党组织不是各下级已锁定的述职评议考核中的述职对象'
            : '该党组织不是本次述职评议考核的述职对象',
          { field: 'orgId' },
        );
      }
      const [row] = await tx
        .insert(keyManagement)
        .values({
          campaignId,
          orgId: a.orgId,
          reporterId: r.reporterId,
          sector: r.sector,
          compositeRank: r.rank,
          state: 'listed',
          addedManually: true,
          reason: a.reason,
          createdBy: user.id,
        })
        .onConflictDoNothing()
        .returning({ id: keyManagement.id });
      if (!row) throw new AppError('KEY_ALREADY_LISTED');
      await writeAudit(tx, actor, {
        action: 'results.key.add',
        targetType: 'key_management',
        targetId: row.id,
        scopePath: campaign.organizerPath,
        detail: a,
      });
      return { id: row.id, state: 'listed' };
    }
    const [row] = await tx
      .select()
      .from(keyManagement)
      .where(and(eq(keyManagement.id, id ?? 0), eq(keyManagement.campaignId, campaignId)))
      .for('no key update');
    if (!row) throw notFound('重点管理对象');
    const allowed: Record<typeof a.action, string[]> = {
      remove: ['proposed', 'listed'],
      confirm: ['proposed'],
      upgrade: ['listed'],
    };
    if (!allowed[a.action].includes(row.state)) {
      throw new AppError('KEY_STATE', `当前状态为「${KEY_STATE_LABELS[row.state]}」，不能进行该操作`);
    }
    const next = { remove: 'removed', confirm: 'listed', upgrade: 'upgraded' }[a.action];
    await tx
      .update(keyManagement)
      .set({
        state: next,
        updatedAt: actor.at,
        ...(a.action === 'remove' ? { reason: `${row.reason ?? ''}\n调出理由：${a.reason}`.trim() } : {}),
        ...(a.action === 'upgrade' ? { upgradeNote: a.note, upgradedAt: actor.at } : {}),
      })
      .where(eq(keyManagement.id, row.id));
    await writeAudit(tx, actor, {
      ...KEY_AUDIT[a.action],
      targetType: 'key_management',
      targetId: row.id,
      scopePath: campaign.organizerPath,
      detail: { orgId: row.orgId, from: row.state, to: next, ...a },
    });
    return { id: row.id, state: next };
  });
}

export async function exportKeyManagement(db: DbOrTx, user: AuthUser, campaignId: number): Promise<Buffer> {
  const { items } = await listKeyManagement(db, user, campaignId, {});
  const wb = newWorkbook();
  const ws = wb.addWorksheet('重点管理名单');
  ws.columns = [
    { header: '党组织', key: 'org', width: 30 },
    { header: '所在述职评议考核', key: 'round', width: 24 },
    { header: '领域', key: 'sector', width: 10 },
    { header: '综合排名', key: 'rank', width: 10 },
    { header: '综合评价等次', key: 'grade', width: 12 },
    { header: '状态', key: 'state', width: 12 },
    { header: '列入/调整理由', key: 'reason', width: 60 },
    { header: '晋位升级情况', key: 'up', width: 40 },
  ];
  for (const r of items.filter((i) => i.state !== 'removed')) {
    ws.addRow({
      org: r.orgName,
      round: r.roundName ?? '',
      sector: r.sectorLabel,
      rank: r.compositeRank,
      grade: isGrade(r.grade) ? GRADE_LABELS[r.grade] : '',
      state: r.stateLabel,
      reason: r.reason ?? '',
      up: r.upgradeNote ?? '',
    });
  }
  styleSheet(ws);
  return workbookBuffer(wb);
}
