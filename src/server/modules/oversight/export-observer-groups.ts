import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { loadAssignments, loadGroups } from './list-observers';
import { assertManageObservers } from './policy';
import { getCampaignRef } from './repo';
import { newWorkbook, styleSheet, workbookBuffer, xlsxDate } from '../documents/xlsx';

const window = (m: { start: string; end: string } | null) =>
  m ? (m.start === m.end ? m.start : `${m.start} 至 ${m.end}`) : '';

/** 分组名单 as 002 attaches it: group, leader, members, the units each group guides — plus one row per task. */
export async function exportObserverGroups(db: DbOrTx, user: AuthUser, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageObservers(user, campaign);
  const groups = await loadGroups(db, campaignId);
  const rows = await loadAssignments(db, campaignId, {});

  const wb = newWorkbook();
  const ws = wb.addWorksheet('分组名单');
  ws.columns = [
    { header: '组别', key: 'group', width: 14 },
    { header: '组长', key: 'leader', width: 12 },
    { header: '成员', key: 'members', width: 30 },
    { header: '指导单位', key: 'units', width: 40 },
    { header: '述职评议会时间', key: 'meetings', width: 40 },
    { header: '人数', key: 'people', width: 8 },
  ];
  for (const g of groups) {
    ws.addRow({
      group: g.groupName ?? '（未分组）',
      leader: g.leaderName ?? '',
      members: g.members.join('、'),
      units: g.subCampaigns.map((s) => s.organizerName).join('、'),
      meetings: g.subCampaigns.map((s) => `${s.organizerName} ${window(s.meeting)}`.trim()).join('；'),
      people: g.members.length + (g.leaderName ? 1 : 0),
    });
  }
  styleSheet(ws);

  const detail = wb.addWorksheet('选派明细');
  detail.columns = [
    { header: '组别', key: 'group', width: 14 },
    { header: '姓名', key: 'name', width: 12 },
    { header: '组内职务', key: 'duty', width: 10 },
    { header: '指导单位', key: 'unit', width: 28 },
    { header: '述职评议会开始', key: 'start', width: 16, style: { numFmt: 'yyyy-mm-dd' } },
    { header: '述职评议会结束', key: 'end', width: 16, style: { numFmt: 'yyyy-mm-dd' } },
    { header: '完成时限', key: 'completeBy', width: 14, style: { numFmt: 'yyyy-mm-dd' } },
    { header: '观察记录', key: 'observation', width: 40 },
  ];
  for (const r of rows) {
    detail.addRow({
      group: r.groupName ?? '（未分组）',
      name: r.userName,
      duty: r.groupName ? (r.isLeader ? '组长' : '成员') : '',
      unit: r.organizerName,
      start: xlsxDate(r.meeting?.start),
      end: xlsxDate(r.meeting?.end),
      completeBy: xlsxDate(r.completeBy),
      observation: r.observationNote ?? '',
    });
  }
  styleSheet(detail);
  return { name: `${campaign.title}-观察员分组名单.xlsx`, buffer: await workbookBuffer(wb) };
}
