/**
 * The sentences of the summary report upward (R-SUM-1) generated from the round's records. Each sentence is written
 * only where its facts exist: no ballot sentence without ballots, no survey or field assessment the plan does not
 * have, no "problems all closed" without problems. Paper and phone ballots are both counted (R-VOTE-4), forms (份,
 * one per evaluator) apart from ratings (人次, one per evaluator and reporter), and the 下评 (R-CAMP-4) has its own
 * sentence.
 */
import { GRADE_LABELS, GRADES, type Grade } from './grades';

export interface BallotFacts {
  phone: { forms: number; ratings: number };
  paper: { forms: number; ratings: number };
  /** Ratings with a grade (a paper form may be spoiled). */
  valid: number;
  /** The organizer's own secretary rated by the lower-level secretaries; null without 下评. */
  downward: { counts: Record<Grade, number>; valid: number } | null;
}

export interface SummaryFacts {
  title: string;
  /** Who decided the grades, e.g. 中共无定河镇委员会. */
  decidedBy: string;
  reporters: number;
  meetings: number;
  ballots: BallotFacts;
  field: { enabled: boolean; done: number };
  survey: { enabled: boolean; responses: number };
  grades: Record<Grade, number>;
  items: { total: number; closed: number; overdue: number };
}

const pct = (n: number, d: number) => (d ? ((n * 100) / d).toFixed(1) : '0.0');
const parts = (list: (string | false | null | undefined)[]) => list.filter(Boolean).join('、');

/** "收回测评表63份（手机测评50份、纸质测评表13份），共评价1260人次（…），其中有效评价1255人次", or '' without ballots. */
export function ballotSentence(b: BallotFacts): string {
  const forms = b.phone.forms + b.paper.forms;
  const ratings = b.phone.ratings + b.paper.ratings;
  if (!ratings) return '';
  const both = b.phone.ratings > 0 && b.paper.ratings > 0;
  const formText = both
    ? `收回测评表${forms}份（手机测评${b.phone.forms}份、纸质测评表${b.paper.forms}份）`
    : b.phone.ratings
      ? `收回手机测评${b.phone.forms}份`
      : `收回纸质测评表${b.paper.forms}份`;
  const ratingText = both
    ? `共评价${ratings}人次（手机${b.phone.ratings}人次、纸质${b.paper.ratings}人次）`
    : `共评价${ratings}人次`;
  return `${formText}，${ratingText}${b.valid < ratings ? `，其中有效评价${b.valid}人次` : ''}`;
}

/** The 下评 result as FORMATS.md counts it: votes and 得票率 per grade, to one decimal. */
export function downwardSentence(b: BallotFacts): string {
  const d = b.downward;
  if (!d?.valid) return '';
  const grades = GRADES.filter((g) => d.counts[g] > 0).map(
    (g) => `“${GRADE_LABELS[g]}”${d.counts[g]}票（${pct(d.counts[g], d.valid)}%）`,
  );
  return `“下评”中，下一级党组织书记对本级党委书记抓基层党建工作的有效评价${d.valid}人次：${grades.join('、')}`;
}

export function overviewText(f: SummaryFacts): string {
  const graded = GRADES.reduce((s, g) => s + f.grades[g], 0);
  const activities = parts([f.meetings > 0 && `召开述职评议会${f.meetings}场`, ballotSentence(f.ballots)]);
  const sentences = [
    `${f.title}共确定述职对象${f.reporters}个`,
    activities,
    downwardSentence(f.ballots),
    parts([
      f.field.enabled && `实地考核${f.field.done}个单位`,
      f.survey.enabled && `满意度调查收回问卷${f.survey.responses}份`,
    ]),
    graded > 0 &&
      `经${f.decidedBy}研究审定，${graded}名党组织书记评定等次：${GRADES.filter((g) => f.grades[g] > 0)
        .map((g) => `“${GRADE_LABELS[g]}”${f.grades[g]}个`)
        .join('、')}`,
  ];
  return sentences
    .filter(Boolean)
    .map((s) => `${s}。`)
    .join('');
}

/** '' when the round found no problem: then there is nothing to say about their rectification. */
export function problemsText(f: SummaryFacts): string {
  const { total, closed, overdue } = f.items;
  if (!total) return '';
  const open = total - closed;
  return (
    `述职评议考核中共查找问题${total}个，已整改销号${closed}个` +
    (open ? `，正在整改${open}个${overdue ? `（其中逾期${overdue}个）` : ''}` : '，均已整改销号') +
    '。'
  );
}

/** Paper forms (份) of one category: those counted as collected, else the most any one reporter received. */
export function paperForms(collected: number | undefined, ratingsPerReporter: readonly number[]): number {
  if (collected && collected > 0) return collected;
  return ratingsPerReporter.reduce((m, n) => Math.max(m, n), 0);
}
