import { CAMPAIGN_STATE_LABELS, phaseLabel, type Phase } from '../../../domain/campaign-phases';
import { FILING_STATE_LABELS, type CampaignSummaryT } from './schemas';
import type { Campaign } from './repo';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const PHASE_STATE_LABELS = { not_started: '未开始', open: '进行中', closed: '已关闭' } as const;

type FilingState = keyof typeof FILING_STATE_LABELS;

export function presentSummary(c: Campaign, organizer: { id: number; name: string }): CampaignSummaryT {
  const filingState = c.filingState as FilingState;
  return {
    id: c.id,
    parentId: c.parentId,
    title: c.title,
    year: c.year,
    templateId: c.templateId,
    state: c.state,
    stateLabel: CAMPAIGN_STATE_LABELS[c.state],
    organizer: { id: organizer.id, name: organizer.name },
    filingState,
    filingStateLabel: FILING_STATE_LABELS[filingState],
    completeBy: c.completeBy,
    publishedAt: iso(c.publishedAt),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export const presentPhases = (phases: Phase[]) =>
  phases.map((p) => ({ ...p, label: phaseLabel(p.key), stateLabel: PHASE_STATE_LABELS[p.state] }));
