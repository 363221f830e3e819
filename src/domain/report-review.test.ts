import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import {
  actorOfAction,
  isEditable,
  isFinal,
  isReportAuthor,
  nextState,
  readsUnpublished,
  REPORT_STATES,
  REVIEW_ACTIONS,
  STATE_LABELS,
  wasSubmitted,
  type ReportState,
  type ReviewAction,
} from './report-review';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

/** R-REP-4 written out state by state, apart from the table in report-review.ts: '—' is refused. */
const EXPECTED: Record<ReportState, Record<ReviewAction, ReportState | '—'>> = {
  draft: { submit: 'submitted', return: '—', order_rewrite: '—', approve: '—', sign: '—' },
  submitted: { submit: '—', return: 'returned', order_rewrite: 'rewrite_ordered', approve: 'approved', sign: '—' },
  returned: { submit: 'resubmitted', return: '—', order_rewrite: '—', approve: '—', sign: '—' },
  rewrite_ordered: { submit: 'resubmitted', return: '—', order_rewrite: '—', approve: '—', sign: '—' },
  resubmitted: { submit: '—', return: 'returned', order_rewrite: 'rewrite_ordered', approve: 'approved', sign: '—' },
  approved: { submit: '—', return: '—', order_rewrite: '—', approve: '—', sign: 'signed' },
  signed: { submit: '—', return: '—', order_rewrite: '—', approve: '—', sign: '—' },
};

describe('report review state machine (R-REP-4)', () => {
  for (const state of REPORT_STATES) {
    for (const action of REVIEW_ACTIONS) {
      const want = EXPECTED[state][action];
      it(`${state} --${action}--> ${want}`, () => {
        if (want === '—') {
          const e = thrown(() => nextState(state, action, { signOffRequired: true }));
          expect(e.code).toBe('TRANSITION_REFUSED');
          expect(e.status).toBe(409);
          expect(e.message).toContain(`当前为「${STATE_LABELS[state]}」`);
        } else {
          expect(nextState(state, action, { signOffRequired: true })).toBe(want);
        }
      });
    }
  }

  it("signing is refused outright where the campaign does not ask for the leader's sign-off, before the state is looked at", () => {
    for (const state of REPORT_STATES) {
      const e = thrown(() => nextState(state, 'sign', { signOffRequired: false }));
      expect(e.code).toBe('TRANSITION_REFUSED');
      expect(e.message).toBe('本次述职评议考核不要求主管领导审阅签字');
    }
    expect(nextState('submitted', 'approve', { signOffRequired: false })).toBe('approved');
  });

  it('each action belongs to one side: the author submits, the reviewer returns, orders a rewrite or approves, the supervisor signs', () => {
    expect(REVIEW_ACTIONS.map(actorOfAction)).toEqual(['author', 'reviewer', 'reviewer', 'reviewer', 'supervisor']);
  });

  it('the author edits only a draft or a report handed back; the final state is signed where sign-off is required, approved otherwise', () => {
    expect(REPORT_STATES.filter(isEditable)).toEqual(['draft', 'returned', 'rewrite_ordered']);
    expect(REPORT_STATES.filter((s) => isFinal(s, true))).toEqual(['signed']);
    expect(REPORT_STATES.filter((s) => isFinal(s, false))).toEqual(['approved']);
  });

  it('every state reached by a submission counts as handed in; only a draft never was', () => {
    expect(REPORT_STATES.filter((s) => !wasSubmitted(s))).toEqual(['draft']);
    // No action leads back to draft, so "not a draft" and "submitted at least once" are the same thing.
    for (const state of REPORT_STATES)
      for (const action of REVIEW_ACTIONS) expect(EXPECTED[state][action]).not.toBe('draft');
  });
});

describe('who reads a report before publication', () => {
  it("only the reporting organization's secretary is its author", () => {
    expect(isReportAuthor({ role: 'secretary', orgId: 7 }, 7)).toBe(true);
    expect(isReportAuthor({ role: 'secretary', orgId: 8 }, 7)).toBe(false);
    expect(isReportAuthor({ role: 'org_admin', orgId: 7 }, 7)).toBe(false);
    expect(isReportAuthor({ role: 'secretary', orgId: null }, 7)).toBe(false);
  });

  it("a draft never handed in stays the author's own; once submitted its readers see it too; others never", () => {
    const author = { author: true, readsSubmitted: false };
    const reviewer = { author: false, readsSubmitted: true };
    const other = { author: false, readsSubmitted: false };
    expect([readsUnpublished(author, false), readsUnpublished(author, true)]).toEqual([true, true]);
    expect([readsUnpublished(reviewer, false), readsUnpublished(reviewer, true)]).toEqual([false, true]);
    expect([readsUnpublished(other, false), readsUnpublished(other, true)]).toEqual([false, false]);
  });
});
