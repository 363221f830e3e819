import { formatDateProse, shanghaiDate } from '../../../domain/calendar';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { gongwenBuffer, type GongwenBlock } from '../documents/gongwen';
import { overview, reporterThemes } from './views';
import { newWorkbook, workbookBuffer } from '../documents/xlsx';

/** "群众评议意见归纳" of one reporter, to attach to the feedback letter: themes, counts, quotes, no-problem share. */
export async function reporterDocx(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  orgId: number,
  roundId: number | null,
  now: Date,
) {
  const v = await reporterThemes(db, user, campaignId, orgId, roundId);
  const blocks: GongwenBlock[] = [
    {
      type: 'paragraph',
      text: `本次共收到对${v.orgName}的书面意见${v.total}条，其中${v.noProblem}条表示无具体问题（无、没有意见、继续保持等），其余意见归纳为以下${v.themes.length}个方面。意见均为匿名，引文随机排列，不显示填写人、票号和时间。`,
      indent: true,
    },
  ];
  v.themes.forEach((t, i) => {
    blocks.push({
      type: 'heading2',
      text: `（${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][i] ?? i + 1}）${t.label}（${t.count}条）`,
    });
    if (t.tags.length)
      blocks.push({ type: 'paragraph', text: `涉及方面：${t.tags.map((x) => x.tag).join('、')}。`, indent: true });
    for (const q of t.quotes) blocks.push({ type: 'paragraph', text: `“${q}”`, indent: true });
  });
  if (v.other.count) {
    blocks.push({ type: 'heading2', text: `其他意见（${v.other.count}条）` });
    for (const q of v.other.quotes) blocks.push({ type: 'paragraph', text: `“${q}”`, indent: true });
  }
  const suspicious = v.copies.filter((c) => c.suspicious);
  if (suspicious.length) {
    blocks.push({ type: 'heading2', text: '内容雷同的意见' });
    for (const c of suspicious)
      blocks.push({
        type: 'paragraph',
        text: `以下意见在${c.count}张测评票中内容基本相同，可能存在串通填写情况，请结合实际研判：“${c.text}”`,
        indent: true,
      });
  }
  const buffer = await gongwenBuffer({
    title: '群众评议意见归纳',
    subtitle: `${v.campaign.year}年度 ${v.orgName}`,
    blocks,
    date: shanghaiDate(now),
  });
  return { buffer, name: `群众评议意见归纳-${v.orgName}.docx`, orgName: v.orgName };
}

/** Every theme of the campaign (or round): one sheet of themes, one of themes per reporter, one of copy groups. */
export async function themesXlsx(db: DbOrTx, user: AuthUser, campaignId: number, roundId: number | null) {
  const o = await overview(db, user, campaignId, roundId);
  const wb = newWorkbook();
  const all = wb.addWorksheet('意见主题');
  all.addRow(['序号', '主题', '关键词', '意见条数', '涉及单位数', '标签', '代表性意见']);
  const r = o.result;
  r?.themes.forEach((t, i) =>
    all.addRow([
      i + 1,
      t.label,
      t.keywords.join('、'),
      t.count,
      t.reporters.length,
      t.tags.map((x) => x.tag).join('、'),
      t.quotes.join('\n'),
    ]),
  );
  if (r) all.addRow(['', '无具体问题', '', r.noProblem, '', '', '']);
  const per = wb.addWorksheet('各单位主题');
  per.addRow(['单位', '主题', '意见条数']);
  for (const t of r?.themes ?? []) for (const rep of t.reporters) per.addRow([rep.orgName, t.label, rep.count]);
  const copies = wb.addWorksheet('内容雷同意见');
  copies.addRow(['意见', '条数', '涉及单位']);
  for (const c of r?.copies ?? [])
    copies.addRow([c.text, c.count, c.reporters.map((x) => `${x.orgName}（${x.count}）`).join('、')]);
  for (const ws of [all, per, copies]) ws.getRow(1).font = { bold: true };
  all.columns.forEach((c, i) => (c.width = [6, 28, 28, 10, 12, 24, 80][i]));
  const buffer = await workbookBuffer(wb);
  return {
    buffer,
    name: `意见归纳-${o.campaign.title}${r ? `-${formatDateProse(shanghaiDate(new Date(r.finishedAt ?? Date.now())))}` : ''}.xlsx`,
  };
}
