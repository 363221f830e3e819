import {
  CAMPAIGN_STATE_LABELS,
  FILING_STATE_LABELS,
  type CampaignState,
  type FilingState,
} from '../../../domain/campaign-phases';
import { levelLabel } from '../../../domain/org-taxonomy';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { loadProgress, type ProgressFilter } from './get-progress';
import { assertViewProgress } from './policy';
import { getCampaignRef } from './repo';
import { shanghaiDate } from '../../../domain/calendar';
import { newWorkbook, styleSheet, workbookBuffer, xlsxDate } from '../documents/xlsx';

/** The progress table as the page shows it (same filters), for 组织部 to file or forward. */
export async function exportProgress(
  db: DbOrTx,
  user: AuthUser,
  now: Date,
  campaignId: number,
  filter: ProgressFilter,
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewProgress(user, campaign);
  const { items } = await loadProgress(db, user, campaignId, shanghaiDate(now), filter);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('进度');
  ws.columns = [
    { header: '组织单位', key: 'organizer', width: 28 },
    { header: '层级', key: 'level', width: 10 },
    { header: '方案名称', key: 'title', width: 36 },
    { header: '状态', key: 'state', width: 10 },
    { header: '报备状态', key: 'filing', width: 10 },
    { header: '完成时限', key: 'completeBy', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: '是否逾期', key: 'overdue', width: 10 },
    { header: '当前阶段', key: 'openPhases', width: 18 },
    { header: '已关闭阶段数', key: 'closed', width: 12 },
    { header: '阶段总数', key: 'phases', width: 10 },
    { header: '述职对象数', key: 'reporters', width: 12 },
    { header: '观察员数', key: 'observers', width: 10 },
  ];
  for (const r of items) {
    ws.addRow({
      organizer: `${'　'.repeat(r.depth)}${r.organizerName}`,
      level: levelLabel(r.organizerLevel as never) ?? r.organizerLevel,
      title: r.title,
      state: CAMPAIGN_STATE_LABELS[r.state as CampaignState] ?? r.state,
      filing: FILING_STATE_LABELS[r.filingState as FilingState] ?? r.filingState,
      completeBy: xlsxDate(r.completeBy),
      overdue: r.overdue ? '逾期' : '',
      openPhases: r.openPhases.map((p) => p.label).join('、'),
      closed: r.phasesClosed,
      phases: r.phasesTotal,
      reporters: r.reporters,
      observers: r.observers,
    });
  }
  styleSheet(ws);
  return { name: `${campaign.title}-进度.xlsx`, buffer: await workbookBuffer(wb) };
}
