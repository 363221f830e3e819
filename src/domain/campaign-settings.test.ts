import { describe, it, expect } from 'vitest';
import { AppError } from './errors';
import { describeSettings, reporterTier, validateSettings, type CampaignSettings } from './campaign-settings';
import type { QuotaRule } from './quotas';
import { buildFromTemplate } from './campaign-templates';
import type { OrgNode } from './routes';

const base = (id = '003') => structuredClone(buildFromTemplate(id, 2023).settings);
const edited = (edit: (s: CampaignSettings) => void, id = '003') => {
  const s = base(id);
  edit(s);
  return s;
};

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

type Quota = CampaignSettings['grading']['quotas'][number];
const quota = (grades: QuotaRule['grades'], op: QuotaRule['op'], share: number): Quota => ({
  grades,
  op,
  share,
  rounding: 'round',
  hard: true,
});
const withQuotas = (quotas: Quota[]) =>
  edited((s) => {
    s.grading.quotas = quotas;
  });

describe('validateSettings: grade quotas', () => {
  it('R-GRADE-2: refuses 好 ≥ 40% together with 较好 or below ≥ 80%, naming both', () => {
    const e = thrown(() =>
      validateSettings(withQuotas([quota(['good'], 'min', 0.4), quota(['fair', 'average', 'poor'], 'min', 0.8)])),
    );
    expect(e.message).toContain('「好不少于40%」');
    expect(e.message).toContain('「较好及以下不少于80%」');
    expect(e.details).toEqual({ field: 'grading.quotas.1' });
  });

  it('R-GRADE-2: accepts 好 ≤ 1/3 together with 较好 or below ≥ 80% (好 can be 20%)', () => {
    const s = withQuotas([
      { ...quota(['good'], 'max', 0), share: { num: 1, den: 3 } },
      quota(['fair', 'average', 'poor'], 'min', 0.8),
    ]);
    expect(validateSettings(s).grading.quotas).toHaveLength(2);
  });

  it('R-GRADE-2: refuses three quotas that conflict only together', () => {
    const quotas = [quota(['good'], 'min', 0.4), quota(['fair'], 'min', 0.4), quota(['average', 'poor'], 'min', 0.3)];
    for (const pair of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      expect(() => validateSettings(withQuotas(pair.map((i) => quotas[i])))).not.toThrow();
    }
    const e = thrown(() => validateSettings(withQuotas(quotas)));
    expect(e.message).toContain('「一般及以下不少于30%」');
    expect(e.details).toEqual({ field: 'grading.quotas.2' });
  });

  it('R-GRADE-2: refuses a share outside 0–1, naming the field in Chinese', () => {
    const e = thrown(() => validateSettings(withQuotas([{ ...quota(['good'], 'max', 0), share: { num: 4, den: 3 } }])));
    expect(e.message).toBe('综合评价·等次比例·第1项·比例：比例应在0到1之间');
    expect(e.details).toEqual({ field: 'grading.quotas.0.share' });
    const a = thrown(() =>
      validateSettings(
        edited((s) => {
          s.report.achievementsMaxShare = 1.5;
        }),
      ),
    );
    expect(a.message).toBe('述职报告·成绩篇幅比例：不能大于1');
    expect(a.details).toEqual({ field: 'report.achievementsMaxShare' });
  });

  it('R-GRADE-2: refuses a quota with both a share and a count', () => {
    const e = thrown(() => validateSettings(withQuotas([{ ...quota(['good'], 'max', 0.3), count: 2 }])));
    expect(e.details).toEqual({ field: 'grading.quotas.0' });
  });
});

describe('validateSettings: weights, limits and keys', () => {
  it('R-GRADE-1: composite weights must sum to 100', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.grading.compositeWeights.daily = 10;
        }),
      ),
    );
    expect(e.message).toBe('综合评价各项权重之和应为100，当前为90');
    expect(e.details).toEqual({ field: 'grading.compositeWeights' });
  });

  it('R-GRADE-1: a part that is not carried out cannot carry weight', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.grading.compositeWeights = { report: 30, ballots: 30, field: 20, survey: 0, daily: 20 };
        }),
      ),
    );
    expect(e.message).toBe('未开展实地考核，「实地考核」权重应为0');
  });

  it('R-GRADE-1: names a composite part apart from the top-level section of the same key', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.grading.compositeWeights.report = 101;
        }),
      ),
    );
    expect(e.message).toBe('综合评价·综合评价权重·述职评议：不能大于100');
    expect(e.details).toEqual({ field: 'grading.compositeWeights.report' });
  });

  it('evaluator category weights must sum to 100', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.ballots.categories[0].weight = 50;
        }),
      ),
    );
    expect(e.message).toBe('参评人员各类别权重之和应为100，当前为110');
    expect(e.details).toEqual({ field: 'ballots.categories' });
  });

  it('R-REP-1: refuses a negative character limit, naming the field', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.reporterTiers[0].charLimit = -1;
        }),
      ),
    );
    expect(e.message).toBe('述职对象类别·第1项·字数上限：必须大于0');
    expect(e.details).toEqual({ field: 'reporterTiers.0.charLimit' });
  });

  it('refuses repeated keys and grade points that do not decrease', () => {
    const dup = thrown(() =>
      validateSettings(
        edited((s) => {
          s.keyContentItems[1].id = 'k1';
        }),
      ),
    );
    expect(dup.message).toBe('重点内容编号重复：k1');
    expect(dup.details).toEqual({ field: 'keyContentItems.1.key' });
    const pts = thrown(() =>
      validateSettings(
        edited((s) => {
          s.grading.points.average = 80;
        }),
      ),
    );
    expect(pts.details).toEqual({ field: 'grading.points.average' });
  });

  it('R-CAMP-4: 下评 needs its own form', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.meeting.ballotForms.downward = null;
        }),
      ),
    );
    expect(e.message).toBe('开展“下评”须设置下评评议表');
  });

  it('R-ASSESS-3: a survey needs a sample', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.survey.sampleSize = 0;
        }, '004'),
      ),
    );
    expect(e.details).toEqual({ field: 'survey.sampleSize' });
  });
});

describe('validateSettings: dates', () => {
  it('refuses a malformed date', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.phases[0].start = '2023-13-01';
        }),
      ),
    );
    expect(e.message).toBe('阶段·第1项·开始日期：日期格式应为YYYY-MM-DD');
  });

  it('refuses a phase that ends before it starts', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.phases[3].end = '2023-12-17';
        }),
      ),
    );
    expect(e.message).toBe('「述职评议会」阶段的开始日期晚于结束日期');
  });

  it('R-REP-4: reports are due the set number of days before the meeting', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.report.dueDaysBeforeMeeting = 10;
        }),
      ),
    );
    expect(e.message).toBe('述职报告应在述职评议会召开10天前报送，「述职报告」阶段应不晚于2023年12月8日结束');
    expect(e.details).toEqual({ field: 'phases.1.end' });
  });

  it('R-SUM-1: the summary is due within the set days after the round', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.summary.dueDaysAfterRound = 5;
        }),
      ),
    );
    expect(e.message).toBe('总结报告应在述职评议考核工作结束后5日内完成，「总结」阶段应不晚于2024年1月5日结束');
  });

  it('R-CAMP-2: staggered deadlines must not go backwards', () => {
    const e = thrown(() =>
      validateSettings(
        edited((s) => {
          s.organizing.stages[2].completeBy = '2024-01-10';
        }, '002'),
      ),
    );
    expect(e.message).toBe(
      '「各级述职评议考核工作」的完成时间早于前一级「县直工委、社区工委、非公和社会组织工委抓基层党组织书记述职评议」',
    );
    expect(e.details).toEqual({ field: 'organizing.stages.2.completeBy' });
  });
});

describe('describeSettings', () => {
  const lines = (id: string) => describeSettings(base(id)).map((l) => `${l.label}：${l.value}`);

  it('R-GRADE-2: shows the 001 quota as organizers phrase it', () => {
    expect(lines('001')).toContain('好等次比例：不超过1/3（向下取整）');
  });

  it('R-GRADE-3: shows the 003 automatic 差 rules', () => {
    expect(lines('003')).toContain(
      '直接确定为“差”：现场测评“一般”“差”票超过10%；年度基层党建工作出现重大失误造成严重影响；党组织书记抓基层党建工作不力被问责追责',
    );
  });

  it('R-GRADE-2: shows a guide quota as a guide', () => {
    expect(lines('003')).toContain('较好及以下等次比例：不少于40%（四舍五入），作为参考');
  });

  it('shows unbound routes, the 004 weights and key-management shares', () => {
    expect(lines('002')).toContain('述职路由：社区党组织 → 社区工委（待指定听取述职的党组织）');
    const weights = lines('004')
      .find((l) => l.startsWith('综合评价权重：'))!
      .split(/[：，]/);
    expect(weights).toEqual(
      expect.arrayContaining(['述职评议20%', '测评得分20%', '实地考核30%', '满意度20%', '平时掌握10%']),
    );
    expect(lines('004').find((l) => l.startsWith('重点管理：'))).toMatch(/^重点管理：农村不低于10%，社区不低于5%/);
  });
});

describe('reporterTier', () => {
  const org = (kind: OrgNode['kind']): OrgNode => ({
    id: 1,
    parentId: null,
    name: '某党组织',
    kind,
    sector: 'university',
    level: 'grassroots',
  });

  it('R-REP-1/R-REP-8: picks the 001 tier by kind, 直属党支部 with the 分党委', () => {
    const s = base('001');
    expect(reporterTier(s, org('branch'))).toMatchObject({ charLimit: 1500, speakingMinutes: 5 });
    expect(reporterTier(s, org('direct_branch'))).toMatchObject({ charLimit: 3000, speakingMinutes: 8 });
  });

  it('R-ORG-3: a reporter outside every tier is refused, not skipped', () => {
    const e = thrown(() => reporterTier(base('001'), org('committee')));
    expect(e.code).toBe('NO_REPORTER_TIER');
    expect(e.message).toContain('「某党组织」');
  });
});
