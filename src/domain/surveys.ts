import { AppError } from './errors';
import { isSurveyLevel, SURVEY_LEVEL_POINTS, SURVEY_LEVELS, type SurveyLevel } from './grades';

/**
 * 满意度调查 (R-ASSESS-3): pure rules shared by the survey module, its pages and the evaluation.
 * The seeds name the survey (基层党建工作社会满意度调查, ~100 两代表一委员 and residents per unit) but give no
 * questionnaire, so DEFAULT_SURVEY_ITEMS is our default list; organizers edit it while the survey is a draft.
 */
export const DEFAULT_SURVEY_ITEMS: readonly string[] = [
  '您对本单位党组织书记抓基层党建工作情况的总体评价',
  '您对本单位党组织班子建设和党员干部作风的评价',
  '您对本单位党组织联系服务群众情况的评价',
  '您对本单位落实“三会一课”等基本制度情况的评价',
  '您对本单位党员教育管理情况的评价',
  '您对本单位党组织活动场所建设和使用情况的评价',
  '您对本单位发展壮大集体经济、为群众办实事情况的评价',
];

export const RESPONDENT_CATEGORIES = ['two_reps', 'resident'] as const;
export type RespondentCategory = (typeof RESPONDENT_CATEGORIES)[number];
export const RESPONDENT_CATEGORY_LABELS: Record<RespondentCategory, string> = {
  two_reps: '两代表一委员',
  resident: '群众',
};
export const respondentCategoryFromLabel = (label: string): RespondentCategory | undefined => {
  const v = label.trim();
  if (['两代表一委员', '两代表一委员（党代表、人大代表、政协委员）', 'two_reps'].includes(v)) return 'two_reps';
  if (['群众', '城乡居民', '居民', 'resident'].includes(v)) return 'resident';
  return undefined;
};

export const SURVEY_STATES = ['draft', 'open', 'closed'] as const;
export type SurveyState = (typeof SURVEY_STATES)[number];
export const SURVEY_STATE_LABELS: Record<SurveyState, string> = { draft: '草稿', open: '调查中', closed: '已结束' };

export const MAX_SURVEY_ITEMS = 30;
export const MAX_ITEM_TEXT = 200;

/** Questionnaire text checks: 1…30 items, each non-empty, ≤ 200 characters, no duplicates. Returns trimmed texts. */
export function checkItems(texts: readonly string[]): string[] {
  const out = texts.map((t) => t.trim());
  if (out.length === 0) throw new AppError('VALIDATION', '问卷至少需要1个题目', { field: 'items' });
  if (out.length > MAX_SURVEY_ITEMS)
    throw new AppError('VALIDATION', `问卷最多${MAX_SURVEY_ITEMS}个题目`, { field: 'items' });
  out.forEach((t, i) => {
    if (!t) throw new AppError('VALIDATION', `第${i + 1}题内容不能为空`, { field: `items.${i}` });
    if (t.length > MAX_ITEM_TEXT)
      throw new AppError('VALIDATION', `第${i + 1}题不能超过${MAX_ITEM_TEXT}字`, { field: `items.${i}` });
    const first = out.indexOf(t);
    if (first !== i) throw new AppError('VALIDATION', `第${i + 1}题与第${first + 1}题重复`, { field: `items.${i}` });
  });
  return out;
}

/**
 * The seed each unit is drawn with: the survey's seed plus the unit's organization code. One published seed
 * therefore reproduces every unit, and two units with lists of equal length do not pick the same positions.
 */
export const unitSeed = (seed: string, orgCode: string) => `${seed.trim()}#${orgCode}`;

/** Answers of one questionnaire: every item answered once with a known level. Returns { [itemId]: level }. */
export function checkAnswers(
  itemIds: readonly number[],
  answers: Readonly<Record<string, unknown>>,
): Record<string, SurveyLevel> {
  const known = new Set(itemIds.map(String));
  for (const [key, level] of Object.entries(answers)) {
    if (!known.has(key))
      throw new AppError('UNKNOWN_ITEM', `题目（编号${key}）不在本问卷中`, { field: `answers.${key}` });
    if (!isSurveyLevel(level)) {
      throw new AppError(
        'UNKNOWN_LEVEL',
        `第${itemIds.map(String).indexOf(key) + 1}题的选项无效，只能选择满意、比较满意、基本满意或不满意`,
        {
          field: `answers.${key}`,
        },
      );
    }
  }
  const missing = itemIds.findIndex((id) => !(String(id) in answers));
  if (missing >= 0)
    throw new AppError('INCOMPLETE', `第${missing + 1}题尚未作答，请回答全部题目后提交`, {
      field: `answers.${itemIds[missing]}`,
    });
  return Object.fromEntries(itemIds.map((id) => [String(id), answers[String(id)] as SurveyLevel]));
}

export type LevelCounts = Record<SurveyLevel, number>;
export const emptyCounts = (): LevelCounts => ({
  satisfied: 0,
  fairly_satisfied: 0,
  basically_satisfied: 0,
  dissatisfied: 0,
});

/** 得票率 in percent to one decimal (half up on the exact ratio, stated in the tables' note). */
export const percent1 = (part: number, total: number) => (total === 0 ? 0 : Math.round((1000 * part) / total) / 10);

export interface LevelSummary {
  total: number;
  counts: LevelCounts;
  /** Share of each level in percent, one decimal. */
  shares: LevelCounts;
  /** Mean of SURVEY_LEVEL_POINTS over the answers, two decimals; null without answers. */
  score: number | null;
}

/** Counts of answers per level → 得票率 and the survey score (the evaluation's survey component uses the same mean). */
export function summarize(counts: Partial<LevelCounts>): LevelSummary {
  const c = { ...emptyCounts(), ...counts };
  const total = SURVEY_LEVELS.reduce((s, l) => s + c[l], 0);
  const points = SURVEY_LEVELS.reduce((s, l) => s + c[l] * SURVEY_LEVEL_POINTS[l], 0);
  const shares = Object.fromEntries(SURVEY_LEVELS.map((l) => [l, percent1(c[l], total)])) as LevelCounts;
  return { total, counts: c, shares, score: total === 0 ? null : Math.round((100 * points) / total) / 100 };
}

export const SURVEY_NOTE =
  '得票率 = 该选项票数 ÷ 该题有效答卷数，以百分数表示，保留一位小数（四舍五入），各项之和可能不等于100%。' +
  '满意度得分 = 全部答案按满意100、比较满意80、基本满意60、不满意0分计算的平均分，保留两位小数。';

// ---- respondent list import ------------------------------------------------------------------------------

export interface RawRespondentRow {
  row: number;
  unit: string;
  name: string;
  category: string;
  phone: string;
}

export interface RespondentUnit {
  reporterId: number;
  orgName: string;
  orgCode: string;
}

export interface PlannedRespondent {
  row: number;
  reporterId: number;
  name: string;
  category: RespondentCategory;
  phone: string | null;
}

export interface RespondentRowError {
  row: number;
  column: string;
  message: string;
}

export const RESPONDENT_COLUMNS = [
  {
    key: 'unit',
    header: '单位',
    required: true,
    width: 30,
    note: '被调查单位（本次考核的述职单位）的名称或组织编码，须与系统中的名称一致',
  },
  { key: 'name', header: '姓名', required: true, width: 14, note: '调查对象姓名，最多20字' },
  { key: 'category', header: '类别', required: true, width: 16, note: '两代表一委员 或 群众' },
  {
    key: 'phone',
    header: '电话',
    required: false,
    width: 16,
    note: '选填：11位手机号码或带区号的固定电话（如 0712-1234567）',
  },
] as const;
export const RESPONDENT_SHEET_NAME = '调查对象名单';

const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

/**
 * Checks every row of an uploaded respondent list (all or nothing). A unit is found by organization code or name;
 * a name used by two reporters of the campaign must be given by code. Duplicates within a unit (same name and
 * phone) are refused, so a list pasted twice does not double anyone's chance of being drawn.
 */
export function planRespondentImport(
  rows: readonly RawRespondentRow[],
  units: readonly RespondentUnit[],
): { planned: PlannedRespondent[]; errors: RespondentRowError[] } {
  const byCode = new Map(units.map((u) => [u.orgCode, u]));
  const byName = new Map<string, RespondentUnit[]>();
  for (const u of units) byName.set(u.orgName, [...(byName.get(u.orgName) ?? []), u]);
  const errors: RespondentRowError[] = [];
  const planned: PlannedRespondent[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const err = (column: string, message: string) =>
      errors.push({ row: r.row, column, message: `第${r.row}行「${column}」：${message}` });
    const before = errors.length;
    const unitText = r.unit.trim();
    let unit: RespondentUnit | undefined;
    if (!unitText) err('单位', '不能为空');
    else {
      unit = byCode.get(unitText);
      if (!unit) {
        const named = byName.get(unitText) ?? [];
        if (named.length > 1) err('单位', `「${unitText}」在本次考核中有多个述职对象，请填写组织编码`);
        else if (named.length === 0) err('单位', `「${unitText}」不是本次考核的述职单位`);
        else unit = named[0];
      }
    }
    const name = r.name.trim();
    if (!name) err('姓名', '不能为空');
    else if (name.length > 20) err('姓名', '不能超过20字');
    const category = respondentCategoryFromLabel(r.category);
    if (!r.category.trim()) err('类别', '不能为空');
    else if (!category) err('类别', `「${r.category.trim()}」无效，应为「两代表一委员」或「群众」`);
    const phone = r.phone.replace(/\s/g, '');
    if (phone && !PHONE.test(phone)) err('电话', `「${r.phone.trim()}」不是有效的电话号码`);
    if (errors.length > before || !unit || !category) continue;
    const key = `${unit.reporterId}\u0000${name}\u0000${phone}`;
    const first = seen.get(key);
    if (first !== undefined) {
      err('姓名', `与第${first}行重复（同一单位、同名同电话）`);
      continue;
    }
    seen.set(key, r.row);
    planned.push({ row: r.row, reporterId: unit.reporterId, name, category, phone: phone || null });
  }
  return { planned, errors };
}

/** One manual entry, with the same checks as an imported row. */
export function checkRespondent(input: { name: string; category: string; phone?: string | null }) {
  const { planned, errors } = planRespondentImport(
    [{ row: 1, unit: 'x', name: input.name, category: input.category, phone: input.phone ?? '' }],
    [{ reporterId: 0, orgName: 'x', orgCode: 'x' }],
  );
  if (errors.length) {
    const e = errors[0]!;
    throw new AppError('VALIDATION', `「${e.column}」${e.message.slice(e.message.indexOf('：'))}`, { field: e.column });
  }
  return planned[0]!;
}
