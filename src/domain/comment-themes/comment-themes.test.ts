import { describe, expect, it } from 'vitest';
import { seededRng } from '../sampling';
import {
  adjustedRand,
  analyzeComments,
  copyKey,
  groupView,
  isNoProblem,
  keywordTags,
  nearDuplicateGroups,
  purity,
} from '.';

describe('no-problem comments', () => {
  it('counts 无/没有意见/继续保持 and praise-only comments apart, but not a comment that names a problem', () => {
    for (const t of [
      '无',
      '没有意见。',
      '暂无',
      '继续保持',
      '总体满意，继续保持！',
      '书记工作很认真，没意见',
      '无。继续保持。',
      '',
      '  ',
      '—',
    ]) {
      expect(isNoProblem(t), t).toBe(true);
    }
    for (const t of [
      '没有意见，但三会一课不规范',
      '无职党员作用发挥不好',
      '继续保持，另外村务公开要及时',
      '没有发展年轻党员',
    ]) {
      expect(isNoProblem(t), t).toBe(false);
    }
  });
});

describe('keyword tags', () => {
  it('gives a comment every tag it names, whatever the wording', () => {
    expect(keywordTags('一是三会一课不规范，二是流动党员管理松散，三是村务公开不及时')).toEqual([
      '组织生活',
      '党员教育管理',
      '村务公开',
    ]);
    expect(keywordTags('支委会记录是事后补的')).toContain('组织生活');
    expect(keywordTags('垃圾清运不及时')).toEqual(['人居环境']);
    expect(keywordTags('今天天气不错')).toEqual([]);
  });
});

describe('near-duplicate groups', () => {
  it('joins copies that differ in punctuation or a word, and keeps different texts apart', () => {
    const texts = [
      '书记联系群众不够紧密，群众反映的问题解决不及时，希望今后多到群众中去。',
      '书记联系群众不够紧密,群众反映的问题解决不及时,希望今后多到群众中去',
      '书记联系群众不够紧密，群众反映的问题解决得不及时，希望今后多到群众中去！',
      '村集体经济发展缓慢，缺少增收项目',
      '党课少',
      '党费少',
    ];
    const g = nearDuplicateGroups(texts);
    expect(g[1]).toBe(g[0]);
    expect(g[2]).toBe(g[0]);
    expect(g[3]).not.toBe(g[0]);
    expect(g[4]).not.toBe(g[5]);
    expect(copyKey('三会一课 不规范！')).toBe(copyKey('三会一课不规范!'));
  });
});

const THEMES: Record<string, string[]> = {
  life: [
    '三会一课开得不经常',
    '三会一课记录是补的',
    '主题党日活动形式单一',
    '主题党日内容老一套',
    '三会一课制度执行打折扣',
    '组织生活会走过场，三会一课不规范',
  ],
  trash: [
    '垃圾清运不及时',
    '垃圾桶满了没人清运',
    '村里垃圾乱倒',
    '人居环境整治垃圾问题多',
    '生活垃圾到处堆放',
    '垃圾分类没有落实',
  ],
  money: [
    '村集体经济薄弱',
    '集体经济没有收入',
    '发展集体经济办法不多',
    '村集体经济收入低',
    '集体经济合作社空壳',
    '壮大集体经济缺项目',
  ],
};
const COPY = '书记联系群众不够紧密，群众反映的问题解决不及时，希望今后多到群众中去。';

function sample() {
  const comments = Object.entries(THEMES).flatMap(([theme, texts]) =>
    texts.map((text, i) => ({ id: `${theme}${i}`, text, group: i % 2 ? 'a' : 'b', theme })),
  );
  for (let i = 0; i < 5; i++)
    comments.push({ id: `copy${i}`, text: i % 2 ? COPY : COPY.replace('。', ''), group: 'a', theme: 'copy' });
  for (const [i, text] of ['无', '没有意见', '继续保持'].entries())
    comments.push({ id: `none${i}`, text, group: 'b', theme: 'none' });
  return comments;
}

describe('analyzeComments', () => {
  it('finds the themes, labels them with the comments own words, counts no-problem comments and flags the copies', () => {
    const comments = sample();
    const a = analyzeComments(comments, { rng: seededRng('t') });
    const predicted = comments.map((c) => a.assignment.get(c.id)!.theme);
    expect(
      purity(
        predicted,
        comments.map((c) => c.theme),
      ),
    ).toBe(1);
    expect(
      adjustedRand(
        predicted,
        comments.map((c) => c.theme),
      ),
    ).toBeGreaterThan(0.9);
    expect(a.noProblem.count).toBe(3);
    const labels = a.themes.map((t) => t.label).join('|');
    expect(labels).toContain('三会一课');
    expect(labels).toContain('垃圾');
    expect(labels).toContain('集体经济');
    const copy = a.copies.find((c) => c.count === 5)!;
    expect(copy.suspicious).toBe(true);
    expect(a.copies.filter((c) => c.suspicious)).toHaveLength(1);
    const life = a.themes.find((t) => t.label.includes('三会一课'))!;
    expect(life.tags[0].tag).toBe('组织生活');
    expect(life.quotes.length).toBeGreaterThan(0);
    for (const q of life.quotes) expect(THEMES.life).toContain(q);
  });

  it('leaves out every comment of a group below the minimum, so it has no theme and no quote', () => {
    const comments = sample();
    const sizes = new Map([
      ['a', 4],
      ['b', 30],
    ]);
    const a = analyzeComments(comments, { rng: seededRng('t'), minGroup: 5, groupSizes: sizes });
    expect(a.hiddenGroups).toEqual(['a']);
    const aTexts = new Set(comments.filter((c) => c.group === 'a').map((c) => c.text));
    for (const t of a.themes) {
      expect(t.groups.a).toBeUndefined();
      for (const q of t.quotes) expect(comments.some((c) => c.group === 'b' && c.text === q)).toBe(true);
    }
    expect(a.copies.some((c) => aTexts.has(c.text))).toBe(false);
    expect(groupView(a, comments, 'a', { rng: seededRng('v') })).toEqual({ hidden: true });
    // Raising the count of group a to the minimum shows it.
    const shown = analyzeComments(comments, {
      rng: seededRng('t'),
      minGroup: 5,
      groupSizes: new Map([
        ['a', 5],
        ['b', 30],
      ]),
    });
    expect(shown.hiddenGroups).toEqual([]);
  });

  it('gives one group its own counts and quotes, shuffled, and the same for any order of the input', () => {
    const comments = sample();
    const a = analyzeComments(comments, { rng: seededRng('t') });
    const view = groupView(a, comments, 'b', { rng: seededRng('v') });
    if (view.hidden) throw new Error('hidden');
    expect(view.noProblem).toBe(3);
    expect(view.themes.reduce((s, t) => s + t.count, 0) + view.other.count + view.noProblem).toBe(
      comments.filter((c) => c.group === 'b').length,
    );
    for (const t of view.themes)
      for (const q of t.quotes) expect(comments.some((c) => c.group === 'b' && c.text === q)).toBe(true);
    const reversed = analyzeComments([...comments].reverse(), { rng: seededRng('t') });
    expect(reversed.themes.map((t) => t.count).sort()).toEqual(a.themes.map((t) => t.count).sort());
    // Quotes are drawn in a random order: some seed puts them in another order.
    const orders = new Set(
      ['1', '2', '3', '4', '5', '6'].map((s) =>
        analyzeComments(comments, { rng: seededRng(s) })
          .themes.find((t) => t.label.includes('垃圾'))!
          .quotes.join('|'),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });

  it('scales past the sample: 5,000 comments cluster on a 700 sample and the rest join the nearest centroid', () => {
    const texts = Object.values(THEMES).flat();
    const rng = seededRng('big');
    const comments = Array.from({ length: 5000 }, (_, i) => ({
      id: String(i),
      text: `${texts[i % texts.length]}${'，希望改进。请重视！'.slice(0, Math.floor(rng() * 8))}${i}`,
      group: `g${i % 40}`,
    }));
    const a = analyzeComments(comments, { rng: seededRng('t') });
    const gold = comments.map((_, i) => String(Math.floor((i % texts.length) / 6)));
    expect(
      purity(
        comments.map((c) => a.assignment.get(c.id)!.theme),
        gold,
      ),
    ).toBeGreaterThan(0.9);
  });
});
