import { describe, expect, it } from 'vitest';
import {
  defaultAgenda,
  flowLabel,
  moveItem,
  nextInFlow,
  nextSpeaker,
  planAgenda,
  speakers,
  type AgendaReporter,
} from './meeting-agenda';

const r = (id: number, o: Partial<AgendaReporter> = {}): AgendaReporter & { label: string } => ({
  id,
  role: 'reporter',
  tierKey: 'branches',
  writtenOnly: false,
  sortKey: `C${id}`,
  label: `党组织${id}`,
  ...o,
});
const tiers = [
  { key: 'sub_committees', speakingMinutes: 8, writtenOnlyAllowed: false },
  { key: 'branches', speakingMinutes: 5, writtenOnlyAllowed: true },
];

describe('R-MEET-1 agenda order', () => {
  it("default order follows the roster and puts the organizer's 下评 report (R-CAMP-4) last", () => {
    const list = [
      r(3, { sortKey: 'B' }),
      r(9, { role: 'downward', sortKey: 'A' }),
      r(1, { sortKey: 'C' }),
      r(2, { sortKey: 'A', writtenOnly: true }),
    ];
    expect(defaultAgenda(list)).toEqual([
      { reporterId: 2, writtenOnly: true },
      { reporterId: 3, writtenOnly: false },
      { reporterId: 1, writtenOnly: false },
      { reporterId: 9, writtenOnly: false },
    ]);
  });

  it('moves an item up or down by one place and leaves the ends alone', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a reporter twice or from another campaign', () => {
    const list = [r(1), r(2)];
    expect(() =>
      planAgenda(
        [
          { reporterId: 1, writtenOnly: false },
          { reporterId: 1, writtenOnly: false },
        ],
        list,
        tiers,
      ),
    ).toThrow('重复');
    expect(() => planAgenda([{ reporterId: 5, writtenOnly: false }], list, tiers)).toThrow(
      '不是本次述职评议考核的述职对象',
    );
  });

  it('the speaker after the current one skips written-only reporters; null at the end', () => {
    const items = [
      { id: 10, position: 1, writtenOnly: false },
      { id: 11, position: 2, writtenOnly: true },
      { id: 12, position: 3, writtenOnly: false },
    ];
    expect(speakers(items).map((i) => i.id)).toEqual([10, 12]);
    expect(nextSpeaker(items, null)?.id).toBe(10);
    expect(nextSpeaker(items, 10)?.id).toBe(12);
    expect(nextSpeaker(items, 12)).toBeNull();
  });
});

describe('R-REP-8 speaking minutes per tier', () => {
  it("copies the tier's minutes (8 / 5 in the university template) and numbers positions from 1", () => {
    const list = [r(1, { tierKey: 'sub_committees' }), r(2)];
    expect(
      planAgenda(
        [
          { reporterId: 2, writtenOnly: false },
          { reporterId: 1, writtenOnly: false },
        ],
        list,
        tiers,
      ),
    ).toEqual([
      { reporterId: 2, position: 1, writtenOnly: false, speakingMinutes: 5 },
      { reporterId: 1, position: 2, writtenOnly: false, speakingMinutes: 8 },
    ]);
  });

  it('a reporter whose tier is gone is an error, not a silent 0 minutes', () => {
    expect(() => planAgenda([{ reporterId: 1, writtenOnly: false }], [r(1, { tierKey: 'gone' })], tiers)).toThrow(
      '类别不存在',
    );
  });
});

describe('R-MEET-4 written-only reporting', () => {
  it('is allowed where the tier allows it, and such a reporter gets no speaking time', () => {
    expect(planAgenda([{ reporterId: 1, writtenOnly: true }], [r(1)], tiers)[0]).toMatchObject({
      writtenOnly: true,
      speakingMinutes: null,
    });
  });

  it('is refused where the tier requires reporting on site', () => {
    expect(() =>
      planAgenda([{ reporterId: 1, writtenOnly: true }], [r(1, { tierKey: 'sub_committees' })], tiers),
    ).toThrow('须现场述职');
  });
});

describe('R-MEET-1 the console follows 一述一评 or 集中点评', () => {
  const items = [
    { id: 11, position: 1, writtenOnly: false },
    { id: 12, position: 2, writtenOnly: true },
    { id: 13, position: 3, writtenOnly: false },
  ];
  const walk = (mode: 'one_by_one' | 'collective') => {
    const out: string[] = [];
    let at: { step: string | null; itemId: number | null } = { step: null, itemId: null };
    for (let p = nextInFlow(mode, items, at); p; p = nextInFlow(mode, items, at)) {
      out.push(`${p.step}${p.itemId ?? ''}`);
      at = p;
    }
    return out;
  };
  it('一述一评: each speech is followed by its 点评 before the next speaker', () => {
    expect(walk('one_by_one')).toEqual([
      'reports11',
      'comments11',
      'reports13',
      'comments13',
      'rating',
      'guidance',
      'summary',
    ]);
  });
  it('集中点评: all speeches, the questions, then the 点评 one by one', () => {
    expect(walk('collective')).toEqual([
      'reports11',
      'reports13',
      'questions',
      'comments11',
      'comments13',
      'rating',
      'guidance',
      'summary',
    ]);
  });
  it('continues from a step chosen by hand', () => {
    expect(nextInFlow('one_by_one', items, { step: 'questions', itemId: 13 })).toEqual({
      step: 'comments',
      itemId: 13,
    });
    expect(nextInFlow('one_by_one', items, { step: 'questions', itemId: null })).toEqual({
      step: 'comments',
      itemId: 11,
    });
    expect(nextInFlow('collective', items, { step: 'comments', itemId: 99 })).toEqual({ step: 'comments', itemId: 11 });
    expect(nextInFlow('collective', items, { step: 'summary', itemId: null })).toBeNull();
    expect(flowLabel({ step: 'comments', itemId: 11 }, () => '东湾村党支部')).toBe('点评：东湾村党支部');
  });
});
