import {
  CAMPAIGN_STATE_LABELS,
  PHASE_STATUS_LABELS,
  phaseLabel,
  phaseStatus,
  type Phase,
} from '../../../domain/campaign-phases';
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

/** Each phase with what it is on `today` (Asia/Shanghai): its dates decide unless the organizer overrode them. */
export const presentPhases = (phases: Phase[], today: string) =>
  phases.map((p) => {
    const status = phaseStatus(p, today);
    return {
      key: p.key,
      label: phaseLabel(p.key),
      start: p.start,
      end: p.end,
      plannedEnd: p.plannedEnd ?? p.end,
      state: p.state,
      stateLabel: PHASE_STATE_LABELS[p.state],
      status,
      statusLabel: PHASE_STATUS_LABELS[status],
      openedOn: p.openedOn,
      closedOn: p.closedOn,
      reopenReason: p.reopenReason,
      overrides: p.overrides ?? [],
    };
  });
