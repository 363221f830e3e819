import { AppError } from '../../../domain/errors';
import type { AppliesTo } from '../../../domain/checklist';
import type { CampaignRef } from './repo';

/** Tier keys must name tiers of this campaign, or the checklist would silently apply to nobody. */
export function checkAppliesTo(campaign: CampaignRef, appliesTo: AppliesTo): AppliesTo {
  const settings = campaign.settings as { reporterTiers?: { key: string }[] } | null;
  const known = new Set((settings?.reporterTiers ?? []).map((t) => t.key));
  const unknown = (appliesTo.tierKeys ?? []).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new AppError('VALIDATION', `述职对象类别不存在：${unknown.join('、')}`, { field: 'appliesTo.tierKeys' });
  }
  const out: AppliesTo = {};
  if (appliesTo.tierKeys?.length) out.tierKeys = [...new Set(appliesTo.tierKeys)];
  if (appliesTo.sectors?.length) out.sectors = [...new Set(appliesTo.sectors)];
  return out;
}
