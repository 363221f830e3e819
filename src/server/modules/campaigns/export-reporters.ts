import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertFullRead } from './policy';
import { getCampaign } from './repo';
import { queryReporters, type ReporterFilter } from './list-reporters';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

/** The reporters list as 组织部 keeps it: one row per reporter, filters as on the page. */
export async function exportReporters(db: DbOrTx, user: AuthUser, id: number, f: ReporterFilter, now: Date) {
  const { campaign: c, organizer } = await getCampaign(db, id, { viewer: user });
  assertFullRead(user, organizer.path);
  const { items } = await queryReporters(db, c, f, null, now);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('述职对象');
  ws.columns = [
    { header: '序号', key: 'no', width: 6 },
    { header: '党组织', key: 'org', width: 36 },
    { header: '组织编码', key: 'code', width: 14 },
    { header: '领域', key: 'sector', width: 14 },
    { header: '组织类别', key: 'kind', width: 10 },
    { header: '述职类型', key: 'role', width: 8 },
    { header: '听取述职的党组织', key: 'reportTo', width: 30 },
    { header: '述职路由', key: 'route', width: 28 },
    { header: '书记', key: 'secretary', width: 10 },
    { header: '任职时间', key: 'tenure', width: 12 },
    { header: '任职不满3个月', key: 'short', width: 12 },
    { header: '书记账号', key: 'account', width: 10 },
    { header: '述职对象类别', key: 'tier', width: 30 },
    { header: '字数上限', key: 'chars', width: 10 },
    { header: '发言时间（分钟）', key: 'minutes', width: 14 },
    { header: '书面述职', key: 'written', width: 10 },
    { header: '向本级党委述职日期', key: 'self', width: 16 },
    { header: '状态', key: 'status', width: 10 },
    { header: '移出理由', key: 'removedReason', width: 30 },
  ];
  styleSheet(ws);
  items.forEach((r, i) =>
    ws.addRow({
      no: i + 1,
      org: r.org.name,
      code: r.org.code,
      sector: r.org.sectorLabel,
      kind: r.org.kindLabel,
      role: r.roleLabel,
      reportTo: r.reportTo.name,
      route: r.routeRuleLabel ?? '隶属上级',
      secretary: r.secretary?.name ?? '（无）',
      tenure: r.secretary?.tenureStart ?? '',
      short: r.secretary?.shortTenure ? '是' : '',
      account: r.hasAccount ? '已开通' : '未开通',
      tier: r.tierLabel,
      chars: r.charLimit ?? '不限',
      minutes: r.speakingMinutes ?? '',
      written: r.writtenOnly ? '是' : '否',
      self: r.selfCommitteeReportedOn ?? '',
      status: r.removedAt ? '已移出' : '在列',
      removedReason: r.removedReason ?? '',
    }),
  );
  return { name: `${c.title}-述职对象名单.xlsx`, buffer: await workbookBuffer(wb) };
}
