/**
 * The review of a 述职报告 (R-REP-4, 004 审核把关): the reviewer approves, returns it for revision or
 * orders a rewrite (责令重写) with reasons; where the plan says so (001) a supervising leader signs
 * the approved report. Pure: routes and tests share the same table.
 */
import { AppError } from './errors';

export const REPORT_STATES = [
  'draft',
  'submitted',
  'returned',
  'rewrite_ordered',
  'resubmitted',
  'approved',
  'signed',
] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export const STATE_LABELS: Record<ReportState, string> = {
  draft: '草稿',
  submitted: '已提交待审核',
  returned: '退回修改',
  rewrite_ordered: '责令重写',
  resubmitted: '重新提交待审核',
  approved: '审核通过',
  signed: '主管领导已审阅签字',
};

export const REVIEW_ACTIONS = ['submit', 'return', 'order_rewrite', 'approve', 'sign'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const ACTION_LABELS: Record<ReviewAction, string> = {
  submit: '提交',
  return: '退回修改',
  order_rewrite: '责令重写',
  approve: '审核通过',
  sign: '审阅签字',
};

/** Who performs an action: the reporting secretary, the reviewer of the body it reports to, or the supervising leader. */
export type Actor = 'author' | 'reviewer' | 'supervisor';

const TABLE: Record<ReviewAction, { from: ReportState[]; actor: Actor }> = {
  submit: { from: ['draft', 'returned', 'rewrite_ordered'], actor: 'author' },
  return: { from: ['submitted', 'resubmitted'], actor: 'reviewer' },
  order_rewrite: { from: ['submitted', 'resubmitted'], actor: 'reviewer' },
  approve: { from: ['submitted', 'resubmitted'], actor: 'reviewer' },
  sign: { from: ['approved'], actor: 'supervisor' },
};

export const EDITABLE_STATES: readonly ReportState[] = ['draft', 'returned', 'rewrite_ordered'];
export const isEditable = (s: ReportState) => EDITABLE_STATES.includes(s);

/** The final state of a report: signed where the campaign requires the leader's sign-off, approved otherwise. */
export const isFinal = (s: ReportState, signOffRequired: boolean) =>
  signOffRequired ? s === 'signed' : s === 'approved';

export function actorOfAction(action: ReviewAction): Actor {
  return TABLE[action].actor;
}

/** The state after `action`, or an AppError (409) saying why it is refused. */
export function nextState(state: ReportState, action: ReviewAction, opts: { signOffRequired: boolean }): ReportState {
  const rule = TABLE[action];
  if (action === 'sign' && !opts.signOffRequired) {
    throw new AppError('TRANSITION_REFUSED', '本次述职评议考核不要求主管领导审阅签字');
  }
  if (!rule.from.includes(state)) {
    throw new AppError('TRANSITION_REFUSED', `述职报告当前为「${STATE_LABELS[state]}」，不能${ACTION_LABELS[action]}`);
  }
  switch (action) {
    case 'submit':
      return state === 'draft' ? 'submitted' : 'resubmitted';
    case 'return':
      return 'returned';
    case 'order_rewrite':
      return 'rewrite_ordered';
    case 'approve':
      return 'approved';
    case 'sign':
      return 'signed';
  }
}

/** The reporting organization's secretary writes its report; nobody else does. */
export const isReportAuthor = (user: { role: string; orgId: number | null }, reportingOrgId: number) =>
  user.role === 'secretary' && user.orgId === reportingOrgId;

/** A report was handed in at least once: every state but a draft follows a submission (none leads back to draft). */
export const wasSubmitted = (state: ReportState) => state !== 'draft';

/**
 * A draft never handed in stays its author's own: before publication a report is read by its author, and by those who
 * may read it once submitted (its reviewers; in the rectification inbox, whoever reads the organization's items) only
 * after its first submission. The reports policy and the rectification inbox both ask this one rule.
 */
export const readsUnpublished = (reader: { author: boolean; readsSubmitted: boolean }, everSubmitted: boolean) =>
  reader.author || (everSubmitted && reader.readsSubmitted);
