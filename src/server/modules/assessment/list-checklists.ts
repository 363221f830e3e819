import { methodLabel, sectionTotals, totalPoints } from '../../../domain/checklist';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertViewAll } from './policy';
import { getCampaignRef, listChecklistRows, listItems, type ItemRow } from './repo';
import { TEMPLATE_KINDS } from './templates';

export interface ChecklistView {
  id: number;
  title: string;
  appliesTo: { tierKeys?: string[]; sectors?: string[] };
  position: number;
  total: number;
  sections: { section: string; items: number; points: number }[];
  items: (ItemRow & { methodLabel: string })[];
}

/** The campaign's checklists with items, per-section and overall totals (shown while editing). */
export async function listChecklists(db: DbOrTx, user: AuthUser, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewAll(user, campaign);
  const lists = await listChecklistRows(db, campaignId);
  const items = await listItems(
    db,
    lists.map((l) => l.id),
  );
  const settings = campaign.settings as { reporterTiers?: { key: string; label: string }[] } | null;
  const checklists: ChecklistView[] = lists.map((l) => {
    const own = items.filter((i) => i.checklistId === l.id).map((i) => ({ ...i, methodLabel: methodLabel(i.method) }));
    return {
      id: l.id,
      title: l.title,
      appliesTo: l.appliesTo ?? {},
      position: l.position,
      total: totalPoints(own.map((i) => i.maxPoints)),
      sections: sectionTotals(own),
      items: own,
    };
  });
  return {
    campaign: {
      id: campaign.id,
      title: campaign.title,
      year: campaign.year,
      state: campaign.state,
      organizerName: campaign.organizerName,
    },
    tiers: (settings?.reporterTiers ?? []).map((t) => ({ key: t.key, label: t.label })),
    templateKinds: TEMPLATE_KINDS.map((k) => ({ code: k.code, label: k.label })),
    checklists,
  };
}
