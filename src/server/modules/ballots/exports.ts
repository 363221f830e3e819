import {
  AlignmentType,
  Document,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { fillForm } from '../../../domain/ballot-codes';
import type { BallotForm } from '../../../domain/campaign-settings';
import { GRADE_LABELS, GRADES } from '../../../domain/grades';
import { shuffle } from '../../../domain/sampling';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { getMeetingContext, meetingReporters } from './repo';
import { computeResults, cryptoRng } from './compute-results';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

const FANGSONG = '仿宋_GB2312';
const mm = (v: number) => Math.round((v / 25.4) * 1440);
const run = (text: string, size = 28, opts: { bold?: boolean; font?: string } = {}) =>
  new TextRun({
    text,
    size,
    bold: opts.bold,
    font: { ascii: opts.font ?? FANGSONG, eastAsia: opts.font ?? FANGSONG, hAnsi: opts.font ?? FANGSONG },
  });
const cell = (children: Paragraph[], opts: { span?: number; width?: number; minHeight?: boolean } = {}) =>
  new TableCell({
    children,
    columnSpan: opts.span,
    verticalAlign: VerticalAlign.CENTER,
    width: opts.width ? { size: opts.width, type: WidthType.PERCENTAGE } : undefined,
  });
const centered = (text: string, size = 28) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children: [run(text, size)] });

function formTable(form: BallotForm) {
  const blank = () => cell([new Paragraph('')]);
  const line = (text: string) => new Paragraph({ indent: { firstLine: 0 }, children: [run(text, 24)] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        children: [
          cell([centered('评价内容', 24)], { width: 52 }),
          ...['好', '较好', '一般', '差'].map((g) => cell([centered(g, 24)], { width: 12 })),
        ],
      }),
      new TableRow({
        height: { value: mm(18), rule: 'atLeast' },
        children: [cell([line(form.overall)]), blank(), blank(), blank(), blank()],
      }),
      new TableRow({
        height: { value: mm(55), rule: 'atLeast' },
        children: [cell([line(form.problems)]), cell([new Paragraph('')], { span: 4 })],
      }),
      new TableRow({
        height: { value: mm(55), rule: 'atLeast' },
        children: [cell([line(form.suggestions)]), cell([new Paragraph('')], { span: 4 })],
      }),
    ],
  });
}

/**
 * Blank paper forms for those without a phone (R-VOTE-4): 003 附件1 for each reporter, 附件2 for the 下评 of
 * the organizer (R-CAMP-4), one table per page. No number or mark that could identify the evaluator.
 */
export async function paperFormsDocx(db: DbOrTx, user: AuthUser, meetingId: number): Promise<Buffer> {
  const ctx = await getMeetingContext(db, meetingId, user);
  assertManage(user, ctx.organizerPath);
  const forms = ctx.settings.meeting.ballotForms;
  const reporters = await meetingReporters(db, meetingId);
  const children: Array<Paragraph | Table> = [];
  reporters.forEach((r, i) => {
    const downward = r.role === 'downward' && forms.downward;
    const form = fillForm(downward ? forms.downward! : forms.reporter, r.orgName);
    if (i > 0) children.push(new Paragraph({ children: [new PageBreak()] }));
    children.push(new Paragraph({ children: [run(downward ? '附件2' : '附件1', 32, { font: '黑体' })] }));
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: 240, after: 240 },
        children: [run(form.title, 44, { bold: true, font: '方正小标宋简体' })],
      }),
    );
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 120 },
        children: [run(`述职对象：${r.orgName}`, 28)],
      }),
    );
    children.push(formTable(form));
    children.push(new Paragraph({ spacing: { before: 120 }, children: [run(form.note, 24)] }));
  });
  const doc = new Document({
    styles: { default: { document: { run: { font: FANGSONG, size: 28 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), left: mm(28), right: mm(26), bottom: mm(35) },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** 测评结果 as FORMATS.md lays it out; free texts and the ballot list are shuffled. */
export async function resultsXlsx(
  db: DbOrTx,
  user: AuthUser,
  roundId: number,
): Promise<{ name: string; buffer: Buffer }> {
  const data = await computeResults(db, user, roundId);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('测评结果');
  ws.columns = [
    { header: '排名', width: 6 },
    { header: '述职对象', width: 30 },
    { header: '有效票', width: 8 },
    { header: '无效票', width: 8 },
    ...GRADES.flatMap((g) => [
      { header: `${GRADE_LABELS[g]}（票）`, width: 9 },
      { header: `${GRADE_LABELS[g]}（%）`, width: 9 },
    ]),
    { header: '一般+差（票）', width: 12 },
    { header: '一般+差合计占比（%）', width: 16 },
    { header: '平均分（不分类别）', width: 12 },
  ];
  for (const r of data.results) {
    ws.addRow([
      r.downward ? '下评' : r.rank,
      r.name,
      r.overall.valid,
      r.overall.invalid,
      ...GRADES.flatMap((g) => [r.overall.counts[g], r.overall.percents[g]]),
      r.overall.averageOrPoor,
      r.overall.averageOrPoorPercent,
      r.score,
    ]);
  }
  styleSheet(ws);
  ws.addRow([]);
  ws.addRow([data.note]);
  ws.addRow([data.scoreFormula.unweighted]);
  ws.addRow([data.scoreFormula.weighted]);
  ws.addRow([`分类统计和意见建议仅在不少于${data.minGroupSize}票时显示。`]);

  const cat = wb.addWorksheet('分类统计');
  cat.addRow([
    '述职对象',
    '参评人员类别',
    '有效票',
    ...GRADES.map((g) => `${GRADE_LABELS[g]}（%）`),
    '一般+差合计占比（%）',
  ]);
  for (const r of data.results) {
    for (const c of r.byCategory)
      cat.addRow([r.name, c.label, c.valid, ...GRADES.map((g) => c.percents[g]), c.averageOrPoorPercent]);
    if (r.pooled) {
      cat.addRow([
        r.name,
        `${r.pooled.labels.join('、')}（合并）`,
        r.pooled.row?.valid ?? `不足${data.minGroupSize}票，不单列`,
        ...GRADES.map((g) => r.pooled!.row?.percents[g] ?? ''),
        r.pooled.row?.averageOrPoorPercent ?? '',
      ]);
    }
  }
  styleSheet(cat);

  const texts = wb.addWorksheet('问题和意见建议');
  texts.addRow(['述职对象', '类型', '内容（随机排序）']);
  for (const r of data.results) {
    if (r.problems === null) texts.addRow([r.name, '—', `不足${data.minGroupSize}票，不显示文字意见`]);
    for (const t of shuffle(r.problems ?? [], cryptoRng)) texts.addRow([r.name, '问题和不足', t]);
    for (const t of shuffle(r.suggestions ?? [], cryptoRng)) texts.addRow([r.name, '意见建议', t]);
  }
  texts.getColumn(3).width = 80;
  styleSheet(texts);
  const buffer = await workbookBuffer(wb);
  return { name: `${data.meetingTitle}测评结果.xlsx`, buffer };
}
