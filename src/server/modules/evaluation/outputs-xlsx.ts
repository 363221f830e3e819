/**
 * Excel outputs of the locked evaluation (R-GRADE-6): the ranking table and the cadre-file sheets (干部档案).
 * FORMATS.md: Chinese header row, frozen; numbers as numbers; dates as dates.
 */
import { COMPONENT_LABELS } from '../../../domain/composite';
import { GRADE_LABELS, type Grade } from '../../../domain/grades';
import { sectorLabel } from '../../../domain/org-taxonomy';
import { type OutputCampaign, type OutputRow, shanghaiDate, weightedComponents } from './outputs-data';
import { formatDateProse } from '../../../domain/calendar';
import { addSheet, newWorkbook, styleSheet, workbookBuffer, xlsxDate } from '../documents/xlsx';

const label = (g: Grade | null) => (g ? GRADE_LABELS[g] : '');
const opinion = (r: OutputRow) =>
  [
    r.opinionAchievements && `主要成绩：${r.opinionAchievements}`,
    r.opinionProblems && `存在问题：${r.opinionProblems}`,
    r.opinionDirection && `努力方向：${r.opinionDirection}`,
  ]
    .filter(Boolean)
    .join('\n');

/** 排名表: rank, organization, sector, each weighted component, composite, suggested and final grade, reason. */
export async function rankingXlsx(c: OutputCampaign, rows: OutputRow[]): Promise<Buffer> {
  const comps = weightedComponents(c.settings);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('综合评价排名');
  ws.columns = [
    { header: '排名', width: 6 },
    { header: '党组织', width: 30 },
    { header: '领域', width: 10 },
    { header: '书记', width: 10 },
    ...comps.map((k) => ({ header: COMPONENT_LABELS[k], width: 10 })),
    { header: '综合得分', width: 10 },
    { header: '领域内排名', width: 10 },
    { header: '建议等次', width: 9 },
    { header: '确定等次', width: 9 },
    { header: '理由', width: 50 },
  ];
  for (const r of rows) {
    // The committee's reason where it departed from the suggestion (R-GRADE-4), else the suggestion's own reasons.
    const reason = r.finalReason ?? r.suggestionReasons.join('；');
    ws.addRow([
      r.rank,
      r.orgName,
      sectorLabel(r.sector),
      r.secretaryName ?? '',
      ...comps.map((k) => r.components[k] ?? null),
      r.composite,
      r.sectorRank,
      label(r.suggestedGrade),
      label(r.finalGrade),
      reason,
    ]);
  }
  for (let i = 0; i < comps.length + 1; i++) ws.getColumn(5 + i).numFmt = '0.00';
  styleSheet(ws);
  ws.addRow([]);
  ws.addRow([
    `${c.organizerName}于${formatDateProse(shanghaiDate(c.lockedAt))}研究确定${c.decisionNote ? `（${c.decisionNote}）` : ''}；得分保留两位小数（四舍五入），排名按综合得分从高到低。`,
  ]);
  return workbookBuffer(wb);
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique in the book. */
function sheetName(used: Set<string>, base: string): string {
  const clean = base.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
  let name = clean;
  for (let i = 2; used.has(name); i++) name = `${clean.slice(0, 31 - String(i).length - 1)}-${i}`;
  used.add(name);
  return name;
}

const CADRE_FIELDS = [
  '姓名',
  '职务',
  '所在党组织',
  '年度',
  '综合评价等次',
  '综合评价意见',
  '党委研究确定日期',
] as const;

/**
 * 干部档案 material: a 名册 sheet listing every secretary, then one sheet per secretary laid out as the form filed
 * into the cadre file (label | value), so each sheet prints on one page.
 */
export async function cadreSheetsXlsx(c: OutputCampaign, rows: OutputRow[]): Promise<Buffer> {
  const decided = xlsxDate(shanghaiDate(c.lockedAt));
  const wb = newWorkbook();
  const index = addSheet(wb, '名册', [
    { header: '序号', width: 6 },
    { header: '姓名', width: 10 },
    { header: '职务', width: 10 },
    { header: '所在党组织', width: 30 },
    { header: '年度', width: 8 },
    { header: '综合评价等次', width: 12 },
    { header: '党委研究确定日期', width: 16 },
    { header: '工作表', width: 20 },
  ]);
  index.getColumn(7).numFmt = 'yyyy"年"m"月"d"日"';
  const used = new Set(['名册']);
  rows.forEach((r, i) => {
    const name = sheetName(used, `${i + 1}-${r.secretaryName ?? r.orgName}`);
    index.addRow([
      i + 1,
      r.secretaryName ?? '',
      r.secretaryPosition ?? '',
      r.orgName,
      c.year,
      label(r.finalGrade),
      decided,
      name,
    ]);
    const ws = wb.addWorksheet(name, {
      pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 1 },
    });
    ws.columns = [{ width: 18 }, { width: 70 }];
    ws.mergeCells('A1:B1');
    ws.getCell('A1').value = `${c.year}年度党组织书记抓基层党建工作述职评议考核综合评价`;
    ws.getCell('A1').font = { bold: true, size: 14 };
    ws.getCell('A1').alignment = { horizontal: 'center' };
    const values: Record<(typeof CADRE_FIELDS)[number], string | number | Date> = {
      姓名: r.secretaryName ?? '',
      职务: r.secretaryPosition ?? '',
      所在党组织: r.orgName,
      年度: c.year,
      综合评价等次: label(r.finalGrade),
      综合评价意见: opinion(r),
      党委研究确定日期: decided,
    };
    CADRE_FIELDS.forEach((f, j) => {
      const row = ws.getRow(j + 2);
      row.getCell(1).value = f;
      row.getCell(1).font = { bold: true };
      row.getCell(2).value = values[f];
      row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
      if (f === '党委研究确定日期') row.getCell(2).numFmt = 'yyyy"年"m"月"d"日"';
      for (const k of [1, 2])
        row.getCell(k).border = {
          top: { style: 'thin' },
          bottom: { style: 'thin' },
          left: { style: 'thin' },
          right: { style: 'thin' },
        };
    });
    ws.getRow(CADRE_FIELDS.indexOf('综合评价意见') + 2).height = 180;
    ws.getCell(`A${CADRE_FIELDS.length + 3}`).value =
      `填报单位：${c.organizerName}${c.decisionNote ? `（${c.decisionNote}）` : ''}`;
  });
  return workbookBuffer(wb);
}
