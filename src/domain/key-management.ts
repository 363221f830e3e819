import { AppError } from './errors';
import { sectorLabel } from './org-taxonomy';
import { isValidShare, shareLabel, shareToFraction, type Share } from './quotas';

/**
 * Key management (重点管理, R-USE-4, 004 四(三)): "按照农村不低于10%、社区和其他基层党组织不低于5%的比例
 * 确定一批工作相对落后的基层党组织". Per sector the count is the share of its organizations rounded
 * up, because "不低于" is a floor: listing 0 of 3 would be 0% < 5%. So every sector with at least one
 * organization lists at least one. When the last place to fill is shared by a tie on rank, all the tied
 * organizations are listed ("at least" allows more; picking one of equals would be arbitrary).
 */

export interface KeyCandidate {
  orgId: string;
  name: string;
  sector: string;
  /** Composite rank, 1 = best; only the order within a sector matters. */
  rank: number;
}

export const DEFAULT_KEY_SHARES: Readonly<Record<string, Share>> = { rural: { num: 1, den: 10 } };
export const DEFAULT_OTHER_KEY_SHARE: Share = { num: 1, den: 20 };

export interface KeyListed extends KeyCandidate {
  /** 1 = the weakest in its sector; tied organizations share it. */
  fromBottom: number;
  reason: string;
}

export interface SectorKeyQuota {
  sector: string;
  total: number;
  required: number;
  listed: number;
}

/**
 * `minShares` per sector code; sectors not named take `otherShare` (004: 5%). `scopeLabel` names where the
 * organizations come from when it is not one round (004: "各乡镇（街道）述职评议考核中", ranked on one scale).
 */
export function proposeKeyManagement(
  candidates: readonly KeyCandidate[],
  minShares: Readonly<Record<string, Share>> = DEFAULT_KEY_SHARES,
  otherShare: Share = DEFAULT_OTHER_KEY_SHARE,
  scopeLabel = '',
): { listed: KeyListed[]; sectors: SectorKeyQuota[] } {
  for (const [sector, share] of [...Object.entries(minShares), ['其他', otherShare] as const]) {
    if (!isValidShare(share)) {
      throw new AppError('VALIDATION', `「${sectorLabel(sector)}」重点管理比例应在0到100%之间`, { field: 'minShares' });
    }
  }
  const seen = new Set<string>();
  const bySector = new Map<string, KeyCandidate[]>();
  for (const c of candidates) {
    if (seen.has(c.orgId)) throw new AppError('VALIDATION', `党组织「${c.name}」重复`, { field: 'orgId' });
    if (!Number.isInteger(c.rank) || c.rank < 1) {
      throw new AppError('VALIDATION', `党组织「${c.name}」的综合排名应为正整数`, { field: 'rank' });
    }
    seen.add(c.orgId);
    bySector.set(c.sector, [...(bySector.get(c.sector) ?? []), c]);
  }

  const listed: KeyListed[] = [];
  const sectors: SectorKeyQuota[] = [];
  for (const [sector, orgs] of bySector) {
    const share = minShares[sector] ?? otherShare;
    const [num, den] = shareToFraction(share);
    const required = Number((num * BigInt(orgs.length) + den - 1n) / den);
    const weakestFirst = [...orgs].sort((a, b) => b.rank - a.rank);
    const cutRank = weakestFirst[required - 1]?.rank;
    const chosen = required === 0 ? [] : weakestFirst.filter((o) => o.rank >= cutRank!);
    const basis = `${scopeLabel}${sectorLabel(sector)}领域共${orgs.length}个党组织，按不低于${shareLabel(share)}（向上取整）应列入${required}个`;
    const tied = chosen.length > required ? chosen.filter((o) => o.rank === cutRank).length : 0;
    for (const o of chosen) {
      const fromBottom = 1 + weakestFirst.filter((x) => x.rank > o.rank).length;
      const tie = tied && o.rank === cutRank ? `；第${required}个名额处有${tied}个党组织排名并列，一并列入` : '';
      listed.push({
        ...o,
        fromBottom,
        reason: `${basis}；${scopeLabel ? '统一排序' : '综合排名'}第${o.rank}名，本领域倒数第${fromBottom}${tie}`,
      });
    }
    sectors.push({ sector, total: orgs.length, required, listed: chosen.length });
  }
  return { listed, sectors };
}
