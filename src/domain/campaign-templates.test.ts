import { describe, it, expect } from 'vitest';
import { AppError } from './errors';
import { TEMPLATES, buildFromTemplate } from './campaign-templates';
import { validateSettings } from './campaign-settings';
import { computeRoutes, type OrgNode } from './routes';

const build = (id: string, year: number) => buildFromTemplate(id, year).settings;
const phase = (id: string, year: number, key: string) => build(id, year).phases.find((p) => p.key === key)!;

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('every template', () => {
  it('R-CAMP-7: one template per seed, each passing validateSettings for any year', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['000', '001', '002', '003', '004']);
    for (const t of TEMPLATES) {
      expect(t.seedId.startsWith(`${t.id}_`)).toBe(true);
      expect(t.name).toMatch(/述职评议考核/);
      for (const year of [2019, 2024]) expect(() => validateSettings(t.build(year))).not.toThrow();
    }
  });

  it('R-CAMP-7: dates follow the year asked for, running into the next January', () => {
    const built = buildFromTemplate('003', 2030);
    expect(built).toMatchObject({
      templateId: '003',
      seedId: '003_5e8989d139850f3c',
      title: '2030年度党组织书记抓基层党建工作述职评议考核',
    });
    expect(built.settings.phases.every((p) => p.start.startsWith('2030') || p.start.startsWith('2031'))).toBe(true);
  });

  it('refuses an unknown template or an implausible year', () => {
    expect(thrown(() => buildFromTemplate('009', 2024)).details).toEqual({ field: 'templateId' });
    expect(thrown(() => buildFromTemplate('001', 24)).details).toEqual({ field: 'year' });
  });

  it('R-CAMP-1: key content items as many as each seed lists (000: 5, 002: 7, 003: 8, 004: 6)', () => {
    const counts = Object.fromEntries(TEMPLATES.map((t) => [t.id, build(t.id, 2024).keyContentItems.length]));
    expect(counts).toEqual({ '000': 5, '001': 5, '002': 7, '003': 8, '004': 6 });
  });
});

describe('000 national method', () => {
  it('R-CAMP-7/R-GRADE-2: 较好 or below must take a share; field assessment before the meeting; observers', () => {
    const s = build('000', 2024);
    expect(s.grading.quotas).toEqual([
      { grades: ['fair', 'average', 'poor'], op: 'min', share: 0.4, rounding: 'round', hard: false },
    ]);
    expect(s.fieldAssessment.enabled).toBe(true);
    expect(s.meeting.observers.required).toBe(true);
    expect(s.keyContentItems[1].title).toBe('党委（党组）书记履行抓基层党建和全面从严治党工作第一责任人职责');
  });

  it('R-MEET-4: 市县乡 secretaries report on site, others may report in writing', () => {
    expect(build('000', 2024).reporterTiers.map((t) => t.writtenOnlyAllowed)).toEqual([false, true]);
  });
});

describe('001 university', () => {
  const s = build('001', 2019);

  it('R-CAMP-7/R-REP-1/R-REP-8: 分党委 tier 3000 chars and 8 min, 党支部 1500 chars and 5 min', () => {
    expect(s.reporterTiers.map((t) => [t.label, t.charLimit, t.speakingMinutes])).toEqual([
      ['分党委（党总支、直属党支部）书记', 3000, 8],
      ['党支部书记', 1500, 5],
    ]);
    expect(s.report.blockingChecks).toContain('length');
  });

  it('R-CAMP-7/R-MEET-4: 党支部 may report in writing, 分党委 report on site', () => {
    expect(s.reporterTiers.map((t) => t.writtenOnlyAllowed)).toEqual([false, true]);
  });

  it('R-CAMP-7/R-GRADE-2: 好 ≤ 1/3, rounded down', () => {
    expect(s.grading.quotas).toEqual([
      { grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true },
    ]);
  });

  it('R-CAMP-7/R-REP-4: sealed paper copy signed by the supervising leader, due 12-20; meeting early January', () => {
    expect(s.report).toMatchObject({ supervisorSignOffRequired: true, paperCopyRequired: true });
    expect(phase('001', 2019, 'reports').end).toBe('2019-12-20');
    expect(phase('001', 2019, 'meeting').start).toBe('2020-01-02');
  });

  it('R-CAMP-2: top-down, 党支部 rounds done by the end of December', () => {
    expect(s.organizing).toEqual({
      mode: 'top_down',
      stages: [{ key: 'branches', label: '党支部书记向基层党委（党总支）述职', completeBy: '2019-12-31' }],
    });
  });
});

describe('002 county', () => {
  const s = build('002', 2018);

  it('R-CAMP-7/R-CAMP-2: bottom-up, staggered 12-25 / 1-15 / 1-31, results to 组织部 by 1-20', () => {
    expect(s.organizing.mode).toBe('bottom_up');
    expect(s.organizing.stages.map((st) => st.completeBy)).toEqual(['2018-12-25', '2019-01-15', '2019-01-31']);
    expect(s.summary.resultsDueDate).toBe('2019-01-20');
    expect(phase('002', 2018, 'evaluation').end <= '2019-01-31').toBe(true);
  });

  it('R-CAMP-7/R-ORG-2: routes to 县直工委, 社区工委 and 非公工委, bound to real organizations at set-up', () => {
    expect(s.routes.map((r) => r.label)).toEqual([
      '县直系统党委（总支）→ 县直工委',
      '社区党组织 → 社区工委',
      '非公和社会组织党组织 → 非公和社会组织工委',
    ]);
    expect(s.routes.every((r) => r.reportTo === null)).toBe(true);

    const o = (
      id: number,
      parentId: number | null,
      name: string,
      kind: OrgNode['kind'],
      sector: OrgNode['sector'],
      level: OrgNode['level'],
    ): OrgNode => ({ id, parentId, name, kind, sector, level });
    const tree = [
      o(1, null, '县委', 'committee', 'organ', 'county'),
      o(2, 1, '某镇党委', 'committee', 'rural', 'township'),
      o(3, 2, '某村党支部', 'branch', 'rural', 'grassroots'),
      o(4, 2, '某社区党支部', 'branch', 'community', 'grassroots'),
      o(5, 1, '社区工委', 'work_committee', 'community', 'county'),
      o(6, 1, '非公和社会组织工委', 'work_committee', 'non_public', 'county'),
      o(7, 2, '某企业党支部', 'branch', 'non_public', 'grassroots'),
      o(8, 1, '县直工委', 'organ_working_committee', 'organ', 'county'),
      o(9, 1, '县教育系统党委', 'committee', 'organ', 'county'),
      o(10, 1, '县财政局党组', 'leading_group', 'organ', 'county'),
    ];
    const [system, community, nonPublic] = s.routes;
    const bound = [
      { ...system, match: { orgIds: [9] }, reportTo: 8 },
      { ...community, reportTo: 5 },
      { ...nonPublic, reportTo: 6 },
    ];
    const routes = computeRoutes(tree, bound, [2, 3, 4, 7, 9, 10]);
    expect(Object.fromEntries([...routes].map(([id, r]) => [id, r.reportTo]))).toEqual({
      2: 1,
      3: 2,
      4: 5,
      7: 6,
      9: 8,
      10: 1,
    });
    expect(thrown(() => computeRoutes(tree, s.routes, [3])).code).toBe('ROUTE_UNBOUND');
  });

  it('R-CAMP-7/R-CAMP-6: 组织部 observers attend in groups', () => {
    expect(s.meeting.observers).toEqual({ required: true, byGroup: true });
  });

  it("R-CAMP-7/R-REP-2: achievements ≤ 1/3 blocks; last year's problems must be answered", () => {
    expect(s.report.achievementsMaxShare).toEqual({ num: 1, den: 3 });
    expect(s.report.blockingChecks).toEqual(expect.arrayContaining(['achievements_share', 'rectification_items']));
  });

  it('R-CAMP-1: the seven 突出 items', () => {
    expect(s.keyContentItems.every((k) => k.title.startsWith('突出'))).toBe(true);
    expect(s.keyContentItems[2].description).toContain('45项“三基建设”重点任务');
  });
});

describe('003 township', () => {
  const s = build('003', 2023);

  it('R-CAMP-7/R-ORG-3: 20 reporters = 16 villages/communities + 2 non-public + 1 organ + 1 institution', () => {
    expect(s.scopePlan.map((e) => [e.sectors, e.count])).toEqual([
      [['rural', 'community'], 16],
      [['non_public'], 2],
      [['organ'], 1],
      [['institution'], 1],
    ]);
    expect(s.scopePlan.reduce((n, e) => n + e.count, 0)).toBe(20);
  });

  it('R-CAMP-7/R-CAMP-4/R-VOTE-1: 下评 with 附件2 beside 附件1', () => {
    expect(s.meeting.downwardReview).toBe(true);
    expect(s.meeting.ballotForms.reporter.title).toBe('党组织书记抓基层党建工作情况述职评议表');
    expect(s.meeting.ballotForms.downward).toMatchObject({
      title: '党委书记抓基层党建工作报告评议表',
      overall: '您对XX党委书记抓基层党建工作情况的总体评价',
    });
  });

  it('R-CAMP-7/R-REP-4: reports reach the committee a week before the meeting', () => {
    expect(s.report.dueDaysBeforeMeeting).toBe(7);
    expect(phase('003', 2023, 'reports').end).toBe('2023-12-11');
    expect(phase('003', 2023, 'meeting').start).toBe('2023-12-18');
  });

  it('R-CAMP-7/R-GRADE-2: 较好 or below about 40%', () => {
    expect(s.grading.quotas).toEqual([
      { grades: ['fair', 'average', 'poor'], op: 'min', share: 0.4, rounding: 'round', hard: false },
    ]);
  });

  it('R-CAMP-7/R-GRADE-3: 一般+差 over 10%, a major error, or accountability make it 差', () => {
    expect(s.grading.autoPoor).toEqual({ averageOrPoorShareAbove: 0.1, majorError: true, accountability: true });
  });

  it('R-CAMP-1: eight items, the last naming this year and the next', () => {
    expect(s.keyContentItems[7].description).toMatch(/^2023年具体工作实践探索.*2024年的本村的具体发展思路/);
  });
});

describe('004 city', () => {
  const s = build('004', 2014);

  it('R-CAMP-7/R-REP-4: top-down, reports about 10 days before a mid-December meeting', () => {
    expect(s.organizing.mode).toBe('top_down');
    expect(s.report.dueDaysBeforeMeeting).toBe(10);
    expect(phase('004', 2014, 'meeting').start).toBe('2014-12-15');
    expect(phase('004', 2014, 'reports').end).toBe('2014-12-05');
  });

  it('R-CAMP-7/R-ASSESS-3: field assessment from early December, survey of about 100 per unit', () => {
    expect(s.fieldAssessment.enabled).toBe(true);
    expect(phase('004', 2014, 'field')).toMatchObject({ start: '2014-12-01', end: '2015-01-15' });
    expect(s.survey).toEqual({ enabled: true, sampleSize: 100 });
  });

  it('R-CAMP-7/R-GRADE-1: every part of the composite carries weight, summing to 100', () => {
    const w = Object.values(s.grading.compositeWeights);
    expect(w.every((x) => x > 0)).toBe(true);
    expect(w.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('R-CAMP-7/R-USE-4: key management of at least 10% rural and 5% community and others', () => {
    expect(s.keyManagement.enabled).toBe(true);
    expect(s.keyManagement.minShares.rural).toBe(0.1);
    const others = Object.entries(s.keyManagement.minShares)
      .filter(([k]) => k !== 'rural')
      .map(([, f]) => f);
    expect(others).toEqual(Array(7).fill(0.05));
  });

  it('R-CAMP-7/R-SUM-1/R-CAMP-5: summary within 15 days; own-committee reports by the end of January', () => {
    expect(s.summary.dueDaysAfterRound).toBe(15);
    expect(phase('004', 2014, 'summary').end).toBe('2015-02-15');
    expect(s.meeting.selfCommitteeReport).toEqual({ enabled: true, completeBy: '2015-01-31' });
  });

  it('R-CAMP-1: six items from the seed, achievements ≤ 1/3', () => {
    expect(s.keyContentItems.map((k) => k.title)).toContain('整顿软弱涣散基层党组织');
    expect(s.report.achievementsMaxShare).toEqual({ num: 1, den: 3 });
  });
});
