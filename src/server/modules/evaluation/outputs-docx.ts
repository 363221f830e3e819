/**
 * Word outputs of the locked evaluation (R-GRADE-6) in 公文 layout: the 反馈意见 to each reporter and the 通报 of
 * the results. Wording follows the seeds: 肯定成绩，指出问题 (000 §6), the consequences of a grade (000 §7).
 */
import JSZip from 'jszip';
import { COMPONENT_LABELS } from '../../../domain/composite';
import { GRADE_LABELS, GRADES, type Grade } from '../../../domain/grades';
import { secretaryTitle } from '../../../domain/org-names';
import { sectorLabel } from '../../../domain/org-taxonomy';
import { type GongwenBlock, gongwenBuffer } from '../documents/gongwen';
import { type OutputCampaign, type OutputRow, shanghaiDate, weightedComponents } from './outputs-data';

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const gradeText = (g: Grade | null) => (g ? `“${GRADE_LABELS[g]}”` : '（未确定）');
/** A text typed in the evaluation page may hold several paragraphs; each becomes one indented paragraph. */
const paragraphs = (text: string | null): GongwenBlock[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph', text: p }));
const who = (r: OutputRow) => (r.secretaryName ? secretaryTitle(r.orgName, '书记', r.secretaryName) : r.orgName);

export interface LetterOptions {
  /** Print the composite score and the rank (the organizer decides whether the letters show them). */
  showScores: boolean;
}

/** The 整改要求 every letter ends with; the grade adds the consequences 000 §7 attaches to it. */
export function rectificationDemands(grade: Grade | null): string[] {
  const out = [
    '请针对反馈指出的问题，认真列出问题清单、责任清单、整改清单，明确整改措施和时限，逐项抓好整改落实，整改情况作为下一年度述职的重要内容。',
  ];
  if (grade && grade !== 'good') out.push('根据有关规定，综合评价等次未达到“好”的，年度考核不得评定为“优秀”等次。');
  if (grade === 'average' || grade === 'poor') {
    out.push('综合评价等次为“一般”“差”的，将进行约谈提醒、限期整改；问题严重的，依照有关规定严肃追责问责。');
  }
  return out;
}

function letterBlocks(c: OutputCampaign, r: OutputRow, total: number, opts: LetterOptions): GongwenBlock[] {
  const blocks: GongwenBlock[] = [];
  let n = 0;
  const h1 = (text: string) => blocks.push({ type: 'heading1', text: `${CN_NUM[n++]}、${text}` });
  blocks.push({
    type: 'paragraph',
    text:
      `根据${c.title}工作安排，经${c.organizerName}研究${c.decisionNote ? `（${c.decisionNote}）` : ''}，现将` +
      `${secretaryTitle(r.orgName, r.secretaryPosition, r.secretaryName)}同志${c.year}年度抓基层党建工作述职评议考核综合评价意见反馈如下。`,
  });
  h1('综合评价等次');
  blocks.push({ type: 'paragraph', text: `综合评价等次为${gradeText(r.finalGrade)}。` });
  if (opts.showScores) {
    const parts = weightedComponents(c.settings).map(
      (k) => `${COMPONENT_LABELS[k]}${score(r.components[k] ?? null)}分`,
    );
    blocks.push({
      type: 'paragraph',
      text:
        `综合得分${score(r.composite)}分${parts.length ? `（${parts.join('，')}）` : ''}` +
        `${r.rank !== null ? `，在参加述职评议考核的${total}个党组织中排名第${r.rank}位` : ''}` +
        `${r.sectorRank !== null ? `，在${sectorLabel(r.sector)}领域排名第${r.sectorRank}位` : ''}。`,
    });
  }
  // A part of the written opinion left empty (the lock warned about it) is left out, not printed as "（无）".
  for (const [title, text] of [
    ['主要成绩', r.opinionAchievements],
    ['存在问题', r.opinionProblems],
    ['努力方向', r.opinionDirection],
  ] as const) {
    const body = paragraphs(text);
    if (!body.length) continue;
    h1(title);
    blocks.push(...body);
  }
  h1('整改要求');
  for (const t of rectificationDemands(r.finalGrade)) blocks.push({ type: 'paragraph', text: t });
  return blocks;
}

export const letterTitle = (c: OutputCampaign) => `${c.year}年度抓基层党建工作述职评议考核反馈意见`;
export const letterFileName = (r: OutputRow) =>
  `反馈意见-${r.orgName}${r.secretaryName ? `-${r.secretaryName}` : ''}.docx`;

/** One reporter's 反馈意见, addressed to the secretary (主送) and signed by the organizer on the day of the lock. */
export function feedbackLetterDocx(
  c: OutputCampaign,
  r: OutputRow,
  total: number,
  opts: LetterOptions,
): Promise<Buffer> {
  return gongwenBuffer({
    title: letterTitle(c),
    addressee: r.secretaryName ? `${r.secretaryName}同志` : `${r.orgName}`,
    blocks: letterBlocks(c, r, total, opts),
    signature: c.organizerName,
    date: shanghaiDate(c.lockedAt),
  });
}

/** Every letter of the campaign, one .docx each, in a .zip numbered by rank so the printout keeps the order. */
export async function feedbackLettersZip(c: OutputCampaign, rows: OutputRow[], opts: LetterOptions): Promise<Buffer> {
  const zip = new JSZip();
  const width = String(rows.length).length;
  let i = 0;
  for (const r of rows) {
    const name = `${String(++i).padStart(width, '0')}-${letterFileName(r)}`;
    zip.file(name.replace(/[\\/:*?"<>|]/g, '_'), await feedbackLetterDocx(c, r, rows.length, opts));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export interface NoticeOptions {
  /** 发文机关标志, e.g. 中共某某县委组织部; the organizer's name when not given. */
  issuer?: string;
  /** 发文字号, e.g. 某组通〔2026〕3号; left for the clerk to fill in when not given. */
  docNumber?: string;
  /** 主送机关. */
  addressee?: string;
  /** 成文日期 YYYY-MM-DD; the day of the lock when not given. */
  date?: string;
}

/** 通报: the grades by grade group, the committee's decision, and what each grade entails. */
export function noticeDocx(c: OutputCampaign, rows: OutputRow[], opts: NoticeOptions = {}): Promise<Buffer> {
  const date = opts.date ?? shanghaiDate(c.lockedAt);
  const blocks: GongwenBlock[] = [];
  blocks.push({
    type: 'paragraph',
    text:
      `根据${c.title}工作安排，${c.organizerName}组织开展了${c.year}年度党组织书记抓基层党建工作述职评议考核，` +
      `对${rows.length}名党组织书记抓基层党建工作情况进行了评议考核。经${c.organizerName}研究${c.decisionNote ? `（${c.decisionNote}）` : ''}，` +
      '确定综合评价等次。现将结果通报如下。',
  });
  let n = 0;
  const byGrade = new Map<Grade, OutputRow[]>();
  for (const r of rows) if (r.finalGrade) byGrade.set(r.finalGrade, [...(byGrade.get(r.finalGrade) ?? []), r]);
  for (const g of GRADES) {
    const list = byGrade.get(g) ?? [];
    if (!list.length) continue;
    blocks.push({ type: 'heading1', text: `${CN_NUM[n++]}、综合评价为“${GRADE_LABELS[g]}”等次的（${list.length}名）` });
    blocks.push({ type: 'paragraph', text: `${list.map(who).join('、')}。` });
  }
  blocks.push({ type: 'heading1', text: `${CN_NUM[n++]}、有关要求` });
  blocks.push({
    type: 'paragraph',
    text: '各党组织书记要对照综合评价意见，认真梳理自己查摆、上级点评、群众评议指出的问题，列出问题清单、责任清单、整改清单，逐项抓好整改落实。',
  });
  blocks.push({
    type: 'paragraph',
    text: '综合评价等次未达到“好”的，其年度考核不得评定为“优秀”等次；综合评价等次为“一般”和“差”的，要约谈提醒、限期整改，问题严重的要依照有关规定严肃追责问责。',
  });
  return gongwenBuffer({
    masthead: { issuer: opts.issuer ?? c.organizerName, docNumber: opts.docNumber ?? `〔${date.slice(0, 4)}〕　号` },
    title: `关于${c.year}年度党组织书记抓基层党建工作述职评议考核结果的通报`,
    addressee: opts.addressee ?? '各基层党组织',
    blocks,
    signature: c.organizerName,
    date,
  });
}
