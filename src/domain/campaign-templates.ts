/**
 * One template per seed document (R-CAMP-7). Numbers the seed states are reproduced exactly;
 * numbers it leaves open carry a `// not in seed: default` note so organizers know to review them.
 */
import { AppError } from './errors';
import type { PhaseKey } from './campaign-phases';
import { validateSettings, type BallotForm, type CampaignSettings } from './campaign-settings';
import { DEFAULT_GRADE_POINTS } from './composite';
import { DEFAULT_MIN_GROUP } from './tally';
import type { OrgKind } from './org-taxonomy';

export interface CampaignTemplate {
  id: string;
  /** File name (without .txt) of the seed in shared/seeds. */
  seedId: string;
  name: string;
  description: string;
  build: (year: number) => CampaignSettings;
}

/** 'MM-DD' falls in the assessed year; '+MM-DD' in the next one (rounds run over the new year). */
const on = (year: number, md: string) => (md.startsWith('+') ? `${year + 1}-${md.slice(1)}` : `${year}-${md}`);
const phases = (year: number, plan: [PhaseKey, string, string][]) =>
  plan.map(([key, start, end]) => ({ key, start: on(year, start), end: on(year, end) }));
const items = (list: [string, string][]) =>
  list.map(([title, description], i) => ({ id: `k${i + 1}`, title, description }));

// 000 §5: 总结工作成效，主要查摆突出问题、分析产生根源，提出破解工作瓶颈的措施.
const SECTIONS = [
  { key: 'achievements', title: '工作成效', minChars: 0 },
  { key: 'problems', title: '突出问题', minChars: 200 }, // not in seed: default
  { key: 'causes', title: '问题根源', minChars: 100 }, // not in seed: default
  { key: 'measures', title: '破解措施', minChars: 150 }, // not in seed: default
];

// 003 附件1 and 附件2, the only ballot forms among the seeds.
const NOTE = '填写总体评价意见时，请在相应选项下面的空格内划“√”，填写问题不足和意见建议时，在相应的栏内用文字表述。';
const REPORTER_FORM: BallotForm = {
  title: '党组织书记抓基层党建工作情况述职评议表',
  overall: '您对XX党组织书记抓基层党建工作情况的总体评价',
  problems: '您认为XX党组织书记抓基层党建工作存在哪些问题和不足',
  suggestions: '您对XX党组织书记抓基层党建工作情况的意见建议',
  note: NOTE,
};
const DOWNWARD_FORM: BallotForm = {
  title: '党委书记抓基层党建工作报告评议表',
  overall: '您对XX党委书记抓基层党建工作情况的总体评价',
  problems: '您认为XX党委书记抓基层党建工作存在哪些问题和不足',
  suggestions: '您对XX党委书记抓基层党建工作的意见建议',
  note: NOTE,
};

const COMMITTEE_KINDS: OrgKind[] = [
  'committee',
  'working_committee',
  'leading_group',
  'work_committee',
  'organ_working_committee',
];
const LOWER_GRADES = ['fair', 'average', 'poor'] as const;

/** What every template shares unless its seed says otherwise. */
function defaults(): Omit<CampaignSettings, 'keyContentItems' | 'reporterTiers' | 'phases'> {
  return {
    organizing: { mode: 'top_down', stages: [] },
    scopePlan: [],
    routes: [],
    report: {
      achievementsMaxShare: { num: 1, den: 3 }, // not in seed: default (002 and 004's 1/3)
      requiredSections: SECTIONS,
      blockingChecks: ['required_sections'],
      dueDaysBeforeMeeting: 7, // not in seed: default
      lateSubmissionAllowed: false, // not in seed: default
      supervisorSignOffRequired: false,
      paperCopyRequired: false,
      attachments: { allowed: true, maxSizeMb: 100 }, // not in seed: default
      // All seeds: "在一定范围内公布，接受基层党组织和党员群众监督".
      publicationAudience: 'campaign_scope',
    },
    meeting: {
      downwardReview: false,
      selfCommitteeReport: { enabled: false, completeBy: null },
      observers: { required: false, byGroup: false },
      ballotForms: { reporter: REPORTER_FORM, downward: null }, // not in seed: default (003 附件1)
      // 004 三(四) lists the agenda: 书记逐一述职 → 现场提问 → 逐一点评; not in seed for 000–002: default.
      commentMode: 'collective',
    },
    ballots: {
      // Categories from 000 §5; not in seed: default weights.
      categories: [
        { key: 'committee', label: '党委（扩大）会议成员', weight: 40 },
        { key: 'deputies', label: '“两代表一委员”', weight: 30 },
        { key: 'grassroots', label: '基层党员干部群众代表', weight: 30 },
        { key: 'observers', label: '上级组织部门观察员', weight: 0 },
      ],
      minGroupSize: DEFAULT_MIN_GROUP, // not in seed: default
    },
    grading: {
      points: DEFAULT_GRADE_POINTS, // not in seed: default
      quotas: [],
      autoPoor: { averageOrPoorShareAbove: null, majorError: false, accountability: false },
      compositeWeights: { report: 40, ballots: 40, field: 0, survey: 0, daily: 20 }, // not in seed: default
      lowerShareStatedAtLock: false,
    },
    fieldAssessment: { enabled: false },
    survey: { enabled: false, sampleSize: 100 },
    keyManagement: {
      enabled: false,
      // 004 四(三), kept so switching it on starts from the seed's shares.
      minShares: {
        rural: 0.1,
        community: 0.05,
        organ: 0.05,
        soe: 0.05,
        university: 0.05,
        institution: 0.05,
        non_public: 0.05,
        social_org: 0.05,
      },
      scope: 'own_round',
    },
    // Only 004 runs 平行考核、差额否决; not in seed: default ratio.
    parallel: { ratio: 20, honours: [] },
    summary: { dueDaysAfterRound: 15, resultsDueDate: null, upperBody: null }, // not in seed: default (004's 15 days)
  };
}

const national: CampaignTemplate = {
  id: '000',
  seedId: '000_c83ae5035fb78c5c',
  name: '党委（党组）书记抓基层党建工作述职评议考核办法（试行）',
  description:
    '中组部2019年办法：现场述职与书面述职相结合，实地考核，按“好、较好、一般、差”确定等次，“较好”或以下应占一定比例。',
  build: (year) => {
    const d = defaults();
    return {
      ...d,
      keyContentItems: items([
        [
          '推进基层党组织和广大党员、干部深入学习贯彻习近平新时代中国特色社会主义思想',
          '推进基层党组织和广大党员、干部深入学习贯彻习近平新时代中国特色社会主义思想，认真落实习近平总书记重要指示批示精神和党中央重大决策部署，把不忘初心、牢记使命作为全体党员、干部的终身课题，增强“四个意识”、坚定“四个自信”、做到“两个维护”等情况',
        ],
        [
          '党委（党组）书记履行抓基层党建和全面从严治党工作第一责任人职责',
          '党委（党组）书记履行抓基层党建和全面从严治党工作第一责任人职责，推动党委（党组）履行抓基层党建工作主体责任、班子其他成员履行分管领域基层党建工作责任等情况',
        ],
        [
          '落实基层党建工作重点任务，推进基层党组织建设',
          '落实基层党建工作重点任务，推进基层党组织建设，加强党支部建设和党员队伍建设，联系服务群众等情况',
        ],
        [
          '充分发挥基层党组织战斗堡垒作用和党员先锋模范作用',
          '紧紧围绕党和国家工作大局、本地区本部门本单位中心任务，充分发挥基层党组织战斗堡垒作用和党员先锋模范作用等情况',
        ],
        [
          '推动基层党组织落实党风廉政建设责任制、意识形态工作责任制',
          '推动基层党组织落实党风廉政建设责任制、意识形态工作责任制等全面从严治党有关工作情况',
        ],
      ]),
      // §5: 市、县、乡镇党（工）委书记一般应现场述职; others may report in writing.
      reporterTiers: [
        {
          key: 'local',
          label: '市、县、乡镇党（工）委书记',
          match: { levels: ['city', 'county', 'township'], kinds: COMMITTEE_KINDS },
          charLimit: 3000,
          speakingMinutes: 8,
          writtenOnlyAllowed: false,
        }, // not in seed: default limits (001's)
        {
          key: 'others',
          label: '机关、国有企业、高校、公立医院等事业单位及其他党组织书记',
          match: {},
          charLimit: 1500,
          speakingMinutes: 5,
          writtenOnlyAllowed: true,
        }, // not in seed: default limits (001's)
      ],
      // §8: 上级组织部门派人参加述职评议会并进行点评.
      meeting: { ...d.meeting, observers: { required: true, byGroup: false } },
      grading: {
        ...d.grading,
        // §6: "评价为“较好”或以下等次的应占一定比例"; not in seed: default share (003's 40%).
        quotas: [{ grades: [...LOWER_GRADES], op: 'min', share: 0.4, rounding: 'round', hard: false }],
        compositeWeights: { report: 30, ballots: 30, field: 30, survey: 0, daily: 10 }, // not in seed: default
      },
      // §6: 述职评议前，上级党组织一般应对基层党建工作情况进行实地考核.
      fieldAssessment: { enabled: true },
      // §5: 一般安排在当年年底或次年年初进行; not in seed: default days.
      phases: phases(year, [
        ['preparation', '11-01', '11-30'],
        ['reports', '12-01', '12-20'],
        ['review', '12-05', '12-31'],
        ['field', '12-01', '+01-09'],
        ['meeting', '+01-10', '+01-20'],
        ['evaluation', '+01-21', '+01-31'],
        ['feedback', '+02-01', '+02-15'],
        ['rectification', '+02-16', '+06-30'],
        ['summary', '+02-01', '+02-20'],
      ]),
    };
  },
};

const university: CampaignTemplate = {
  id: '001',
  seedId: '001_66e01e928f0a53e5',
  name: '高校党组织书记抓基层党建述职评议考核（校党委—分党委—党支部）',
  description:
    '辽宁科技大学2019年度方案：自上而下、分级开展；分党委（党总支、直属党支部）书记报告3000字以内、发言8分钟，党支部书记1500字以内、5分钟；“好”等次一般不超过三分之一；纸质版经主管校领导审阅签字。',
  build: (year) => {
    const d = defaults();
    return {
      ...d,
      organizing: {
        mode: 'top_down',
        stages: [{ key: 'branches', label: '党支部书记向基层党委（党总支）述职', completeBy: on(year, '12-31') }],
      },
      keyContentItems: items([
        [
          '推动基层党组织和党员干部深入学习贯彻习近平新时代中国特色社会主义思想',
          '推动基层党组织和党员干部深入学习贯彻习近平新时代中国特色社会主义思想，认真落实习近平总书记重要指示批示精神和党中央重大决策部署，组织开展“不忘初心、牢记使命”主题教育，推进“两学一做”学习教育常态化制度化，增强“四个意识”、坚定“四个自信”、做到“两个维护”的工作情况',
        ],
        [
          '党组织书记履行抓基层党建工作第一责任人职责',
          '党组织书记履行抓基层党建工作第一责任人职责，推动分党委（党总支、直属党支部）履行抓基层党建工作主体责任、班子其他成员履行分管领域基层党建工作责任等情况',
        ],
        [
          '加强党支部建设和党员队伍建设，联系服务群众',
          '学习贯彻《中国共产党支部工作条例（试行）》《中国共产党普通高等学校基层组织工作条例》《中国共产党党员教育管理工作条例》等，开展“大学习、大检查、大规范、大提升”活动，加强党支部建设和党员队伍建设，联系服务群众等情况',
        ],
        [
          '落实基层党建工作重点任务，推进基层党组织建设',
          '落实基层党建工作重点任务，贯彻全省基层党建工作会议精神，落实《辽宁省基层党建质量提升行动计划（2019—2021年）》，推进基层党组织建设等情况',
        ],
        [
          '推进全面从严治党向基层延伸、优化改进基层党建考核',
          '推进全面从严治党向基层延伸、优化改进基层党建考核、克服基层党建形式主义、官僚主义等其他工作情况',
        ],
      ]),
      reporterTiers: [
        // 校党委 hears these on site (党委会扩大会议方式…进行现场述职).
        {
          key: 'sub_committees',
          label: '分党委（党总支、直属党支部）书记',
          match: { kinds: ['sub_committee', 'general_branch', 'direct_branch'] },
          charLimit: 3000,
          speakingMinutes: 8,
          writtenOnlyAllowed: false,
        },
        // 各分党委（党总支）可采取现场述职和书面述职相结合的方式.
        {
          key: 'branches',
          label: '党支部书记',
          match: { kinds: ['branch'] },
          charLimit: 1500,
          speakingMinutes: 5,
          writtenOnlyAllowed: true,
        },
      ],
      report: {
        ...d.report,
        blockingChecks: ['length', 'required_sections'],
        // 纸质版加盖公章并报请主管校领导审阅、签字.
        supervisorSignOffRequired: true,
        paperCopyRequired: true,
      },
      grading: {
        ...d.grading,
        // 评价为“好”等次的比例一般不超过三分之一.
        quotas: [{ grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true }],
        compositeWeights: { report: 30, ballots: 30, field: 30, survey: 0, daily: 10 }, // not in seed: default
      },
      // 依据述职评述和实地考察结果.
      fieldAssessment: { enabled: true },
      phases: phases(year, [
        ['preparation', '12-01', '12-10'], // not in seed: default
        ['reports', '12-01', '12-20'], // 2019年12月20日下班前报送组织部
        ['review', '12-10', '12-31'], // not in seed: default
        ['field', '12-10', '12-31'], // not in seed: default
        ['meeting', '+01-02', '+01-10'], // 2020年1月初; not in seed: exact days
        ['evaluation', '+01-11', '+01-20'], // not in seed: default
        ['feedback', '+01-21', '+01-31'], // not in seed: default
        ['rectification', '+02-01', '+06-30'], // not in seed: default
        ['summary', '+01-21', '+01-31'], // not in seed: default
      ]),
    };
  },
};

const county: CampaignTemplate = {
  id: '002',
  seedId: '002_e51f1e512185841d',
  name: '县级书记抓基层党建述职评议考核（自下而上、压茬进行）',
  description:
    '吉县2018年度通知：按述职路由分级述职，乡镇和县直系统12月25日前、各工委1月15日前、各级1月底前完成，1月20日前报送评议结果；成绩部分不超过1/3；县委组织部分组派人指导。',
  build: (year) => {
    const d = defaults();
    const grassroots: OrgKind[] = ['committee', 'general_branch', 'branch'];
    return {
      ...d,
      organizing: {
        mode: 'bottom_up',
        stages: [
          {
            key: 'townships_systems',
            label: '乡镇党委和县直系统党委（总支）抓基层党组织书记述职评议',
            completeBy: on(year, '12-25'),
          },
          {
            key: 'work_committees',
            label: '县直工委、社区工委、非公和社会组织工委抓基层党组织书记述职评议',
            completeBy: on(year, '+01-15'),
          },
          { key: 'all_levels', label: '各级述职评议考核工作', completeBy: on(year, '+01-31') },
        ],
      },
      // §1. Targets are bound to real organizations when the campaign is set up. 农村党组织 → 乡镇党委
      // and 县直机关单位党组织 → 所属系统党委 follow 隶属, so the parent default covers them.
      routes: [
        // 系统党委 and 单位党委 share kind and sector, so the organizer lists the 系统党委 explicitly.
        { label: '县直系统党委（总支）→ 县直工委', match: { orgIds: [] }, reportTo: null },
        { label: '社区党组织 → 社区工委', match: { sectors: ['community'], kinds: grassroots }, reportTo: null },
        {
          label: '非公和社会组织党组织 → 非公和社会组织工委',
          match: { sectors: ['non_public', 'social_org'], kinds: grassroots },
          reportTo: null,
        },
      ],
      keyContentItems: items([
        [
          '突出学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神',
          '突出学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神、习总书记视察山西重要讲话精神，推进“两学一做”学习教育常态化制度化，增强“四个意识”、坚定“四个自信”、落实“两个维护”情况',
        ],
        [
          '突出履行党建工作责任',
          '突出履行党建工作责任，特别是履行党委（党组）主体责任、党委（党组）书记第一责任人职责情况',
        ],
        ['突出“三基建设”', '突出“三基建设”，推进县上确定的45项“三基建设”重点任务情况'],
        [
          '突出提高基层党组织建设质量',
          '突出提高基层党组织建设质量，落实基层党建工作重点任务，加强党支部建设，提升“两个覆盖”质量、带头人队伍建设质量、党组织活动质量、发展党员和党员分类管理质量、党组织引领质量、基层党组织规范化建设、开展党支部主题党日活动等情况',
        ],
        [
          '突出强化政治功能、完成重大政治任务情况',
          '突出强化政治功能、完成重大政治任务情况，特别是抓党建促脱贫攻坚、促乡村振兴，促进第一书记作用发挥，整顿软弱涣散党组织，发展壮大村级集体经济，加强城市基层党建、引领基层治理，统筹推进所在领域基层党建工作，发挥基层党组织战斗堡垒作用和党员先锋模范作用情况',
        ],
        [
          '突出工作载体的落实情况',
          '突出工作载体的落实情况，特别是全县推行的“五亮一争”、“联促建”、“双报到双服务”、“五星村庄”创建以及各级党组织自身创新的特色载体推进情况',
        ],
        [
          '突出查找和解决问题情况',
          '突出查找和解决问题情况，回应上年度和半年述职查摆的问题整改情况，深入剖析存在的突出问题，特别是工作中存在的形式主义、官僚主义等问题，提出进一步加强和改进工作的思路措施',
        ],
      ]),
      // 以口头述职为主; not in seed: default limits (001's).
      reporterTiers: [
        {
          key: 'committees',
          label: '乡镇党委、工委及县直单位党委（党组）书记',
          match: { levels: ['county', 'township'], kinds: COMMITTEE_KINDS },
          charLimit: 3000,
          speakingMinutes: 8,
          writtenOnlyAllowed: false,
        },
        {
          key: 'grassroots',
          label: '基层党组织书记',
          match: {},
          charLimit: 1500,
          speakingMinutes: 5,
          writtenOnlyAllowed: false,
        },
      ],
      report: {
        ...d.report,
        // 写成绩部分不能超过总篇幅的1/3; 回应上年度和半年述职查摆的问题整改情况.
        blockingChecks: ['achievements_share', 'required_sections', 'rectification_items'],
        attachments: { allowed: true, maxSizeMb: 200 }, // 可以附加播放视频短片、幻灯片; not in seed: size
      },
      // 县委组织部将派人参加各乡镇、系统召开的述职评议会 (附：分组名单).
      meeting: { ...d.meeting, observers: { required: true, byGroup: true } },
      grading: {
        ...d.grading,
        // 评价等次要有所区分，不能唯票定档: at least one below 好, as a guide.
        quotas: [{ grades: [...LOWER_GRADES], op: 'min', count: 1, hard: false }],
      },
      // 各党委（工委）、党总支要于2019年1月20日前将述职评议情况报告和评议结果报县委组织部.
      summary: { ...d.summary, resultsDueDate: on(year, '+01-20') },
      // The notice is dated 11-20; the county's own round closes by 1-31. Not in seed: exact days.
      phases: phases(year, [
        ['preparation', '11-20', '12-10'],
        ['reports', '12-26', '+01-14'],
        ['review', '+01-05', '+01-20'],
        ['meeting', '+01-22', '+01-25'],
        ['evaluation', '+01-26', '+01-31'],
        ['feedback', '+02-01', '+02-15'],
        ['rectification', '+02-16', '+06-30'],
        ['summary', '+02-01', '+02-15'],
      ]),
    };
  },
};

const township: CampaignTemplate = {
  id: '003',
  seedId: '003_5e8989d139850f3c',
  name: '乡镇党组织书记抓基层党建述职评议考核（下评+上述）',
  description:
    '无定河镇2023年度方案：16个村社区、2个非公有制企业、1个机关、1个事业单位共20个党组织述职；镇党委书记接受“下评”；报告会前一周报审；“较好”或以下约占40%；测评“一般”“差”票超过10%等情形直接定为“差”。',
  build: (year) => {
    const d = defaults();
    return {
      ...d,
      scopePlan: [
        { label: '村、社区党组织', sectors: ['rural', 'community'], count: 16 },
        { label: '非公有制企业党组织', sectors: ['non_public'], count: 2 },
        { label: '机关党组织', sectors: ['organ'], count: 1 },
        { label: '事业单位党组织', sectors: ['institution'], count: 1 },
      ],
      keyContentItems: items([
        [
          '聚焦深入学习贯彻习近平新时代中国特色社会主义思想，加强党的思想建设',
          '聚焦深入学习贯彻习近平新时代中国特色社会主义思想，学习贯彻党的二十大精神和全国、全区、全市、全旗组织工作会议部署情况，贯彻落实习近平总书记考察内蒙古时的重要讲话和重要指示批示精神，加强党的思想建设',
        ],
        [
          '扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育',
          '扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育，融入开展“感党恩、听党话、跟党走”群众教育实践活动情况，推动广大党员坚定拥护“两个确立”，坚决做到“两个维护”',
        ],
        [
          '以铸牢中华民族共同体意识为主线，彰显基层党建工作成效',
          '以铸牢中华民族共同体意识为主线，落实习近平总书记交给内蒙古的五大任务和全方位建设模范自治区两件大事，落实市委“三个四”工作任务、全旗“三四四”发展任务和全镇“一区三镇三集群”发展格局，打好“毛乌素沙地歼灭战”、加强生态保护等重点工作情况，在联系服务群众、平安建设、维护社会稳定、维护国家安全等重大任务中彰显基层党建工作成效情况。落实《中国共产党统一战线工作条例》、加强和完善党对民族工作的全面领导、民族和宗教工作情况',
        ],
        [
          '聚焦提升党的组织体系的整体效能，持续推进全面从严治党',
          '聚焦提升党的组织体系的整体效能，加强党的政治建设，持续推进全面从严治党，做好发展党员和党员经常性教育工作，严肃和规范党内政治生活，严格落实党的组织生活制度、基层党组织按期换届制度、党务公开制度，改进流动党员管理，严肃稳妥处置不合格党员情况',
        ],
        [
          '巩固党史学习教育成果，常态化开展“我为群众办实事”活动',
          '巩固党史学习教育成果，常态化开展“我为群众办实事”活动，党员干部落实“六个一”联系服务群众工作机制情况',
        ],
        [
          '落实党风廉政建设责任制、中央八项规定精神',
          '落实党风廉政建设责任制、中央八项规定精神、加强“一把手”和领导班子监督，一体推进不敢腐、不能腐、不想腐情况',
        ],
        [
          '聚焦问题导向，讲清上年度党委书记点评指出问题整改情况',
          '聚焦问题导向，述职的书记要紧扣基层党建难点堵点痛点，特别是主题教育总结评估发现的问题，同时讲清楚上年度党委书记点评指出问题整改情况，把自己摆进去，把履职尽责抓党建存在的问题讲透，把对策措施讲实。把坚强堡垒模范支部创建和党群服务中心功能体系建设作为重点难点问题的“必答题”，集中推动解决',
        ],
        [
          '本年度主要做法、取得成效和经验启示，下一年度具体发展思路',
          `${year}年具体工作实践探索中的主要做法、取得成效和经验启示，${year + 1}年的本村的具体发展思路、计划实施的具体项目、预定达到的实际效果等`,
        ],
      ]),
      // 召开党委扩大会议现场述职; not in seed: default limits (001's 党支部 tier).
      reporterTiers: [
        {
          key: 'all',
          label: '村（社区）及其他基层党组织书记',
          match: {},
          charLimit: 1500,
          speakingMinutes: 5,
          writtenOnlyAllowed: false,
        },
      ],
      report: {
        ...d.report,
        // 讲清上年度党委点评指出问题整改情况.
        blockingChecks: ['required_sections', 'rectification_items'],
        // 述职报告要在述职评议会召开前一周报党委审核把关.
        dueDaysBeforeMeeting: 7,
      },
      meeting: {
        ...d.meeting,
        // “下评”: 镇党委书记向下一级党组织书记报告并接受评议 (附件2).
        downwardReview: true,
        ballotForms: { reporter: REPORTER_FORM, downward: DOWNWARD_FORM },
        // 五(二): 书记点评时，要采取“一述一评”的方式.
        commentMode: 'one_by_one',
      },
      grading: {
        ...d.grading,
        // 评价为“较好”或以下等次的应占40%左右的比例: "左右" makes it a guide, not a hard floor.
        quotas: [{ grades: [...LOWER_GRADES], op: 'min', share: 0.4, rounding: 'round', hard: false }],
        // 现场测评“一般”“差”票超过10%、重大失误造成严重影响或被问责追责的，确定为“差”.
        autoPoor: { averageOrPoorShareAbove: 0.1, majorError: true, accountability: true },
      },
      // The plan follows 《中共乌审旗委组织部关于2023年度全旗…述职评议考核工作的通知》: the round is reported there.
      summary: { ...d.summary, upperBody: '中共乌审旗委组织部' },
      // 于12月中下旬完成; not in seed: exact days.
      phases: phases(year, [
        ['preparation', '11-20', '12-05'],
        ['reports', '12-01', '12-11'],
        ['review', '12-04', '12-15'],
        ['meeting', '12-18', '12-20'],
        ['evaluation', '12-21', '12-29'],
        ['feedback', '12-26', '12-31'],
        ['rectification', '+01-01', '+06-30'],
        ['summary', '12-28', '+01-10'],
      ]),
    };
  },
};

const city: CampaignTemplate = {
  id: '004',
  seedId: '004_b7541f9ab572595d',
  name: '市级书记抓基层党建述职评议考核（实地考核、满意度调查、量化排名）',
  description:
    '县级市2014年度方案：自上而下、分级开展；会前10天左右报审；实地考核与满意度调查（每单位约100人）；综合分析、量化评分、确定名次；农村不低于10%、社区和其他不低于5%列入重点管理；向本级党委述职；结束后十五日内报送总结。',
  build: (year) => {
    const d = defaults();
    return {
      ...d,
      organizing: {
        mode: 'top_down',
        stages: [
          {
            key: 'townships',
            label: '乡镇（街道、场）党（工）委听取村（社区）党组织书记述职',
            completeBy: on(year, '12-31'),
          },
        ],
      },
      keyContentItems: items([
        [
          '履行“第一责任人”职责',
          '履行“第一责任人”职责，研究部署基层党建重要工作、重大活动，协调解决重点、难点问题，特别是落实关于建立健全市、镇、村抓基层党建工作三级联动机制中关于各级党组织书记抓基层党建工作的基本任务、年初公开承诺事项和教育实践活动中查摆剖析的党建工作突出问题整改情况',
        ],
        [
          '整顿软弱涣散基层党组织',
          '整顿软弱涣散基层党组织，加强对村“两委”换届工作的领导和指导，选好、用好、管好基层组织带头人，落实“四议两公开”等民主管理制度，加强村务监督委员会建设，严肃查处基层干部不正之风和违法违纪行为等情况',
        ],
        [
          '加强基层服务型党组织建设',
          '加强基层服务型党组织建设，建好、用好村、社区党员群众服务中心，规范服务项目，整合服务资源；学习推广百步亭社区党建工作法，开展在职党员到社区报到为群众服务；健全和落实乡镇（街道）干部“岗位在村、重在服务、责在连心”工作机制，推行机关事业单位干部驻村联户、结对帮扶，发挥基层党组织战斗堡垒作用情况',
        ],
        [
          '严格党员教育管理',
          '严格党员教育管理，落实党员组织生活制度，发挥党员先锋模范作用；落实发展党员计划，严格发展党员工作程序，完成好年度发展党员数量调控任务，开展处置不合格党员情况',
        ],
        [
          '加大基层党建工作投入力度，强化基层基础保障',
          '加大基层党建工作投入力度，强化基层基础保障；配齐、配强各级党委抓基层党建工作力量；落实基层干部报酬待遇、基层党组织工作经费、活动场所和服务群众专项经费等情况',
        ],
        [
          '基层党建工作存在的主要问题和进一步加强的思路、重点和措施',
          '本地、本单位基层党建工作存在的主要问题和进一步加强基层党组织建设的思路、重点和措施',
        ],
      ]),
      // Not in seed: default limits (001's).
      reporterTiers: [
        {
          key: 'townships_units',
          label: '乡镇（街道、场）党（工）委、市直单位党组织书记',
          match: { levels: ['city', 'county', 'township'] },
          charLimit: 3000,
          speakingMinutes: 8,
          writtenOnlyAllowed: false,
        },
        {
          key: 'villages',
          label: '村（社区）党组织书记',
          match: {},
          charLimit: 1500,
          speakingMinutes: 5,
          writtenOnlyAllowed: false,
        },
      ],
      report: {
        ...d.report,
        // 提前10天左右向上一级党委组织部门报送…下一级党组织书记的述职报告.
        dueDaysBeforeMeeting: 10,
      },
      meeting: {
        ...d.meeting,
        // 二(四): 每年度还应向本级党组织委员会进行述职…原则上在次年1月底前完成.
        selfCommitteeReport: { enabled: true, completeBy: on(year, '+01-31') },
        // 上级党组织要派人参加下一级党组织召开的述职评议会.
        observers: { required: true, byGroup: false },
      },
      grading: {
        ...d.grading,
        // 四(一) names the parts (实地考核、民意调查、述职评议、平时掌握) but no weights; not in seed: default.
        compositeWeights: { report: 20, ballots: 20, field: 30, survey: 20, daily: 10 },
        // 四 names no share of 较好 or below, which 000 §6 requires: the committee states it when it decides the grades.
        lowerShareStatedAtLock: true,
      },
      fieldAssessment: { enabled: true },
      // 在每个县（市、区）随机选择100名左右“两代表一委员”和城乡居民.
      survey: { enabled: true, sampleSize: 100 },
      // 四(三): 市委组织部将综合分析研判基层党组织工作情况，按照农村不低于10%、社区和其他基层党组织不低于5%的比例确定
      // — across the villages and communities of every township's round, on one scale.
      keyManagement: { ...d.keyManagement, enabled: true, scope: 'sub_rounds' },
      // 四(二): 差额否决事项为年度目标考核先进单位、党组织主要负责人和党建工作直接责任人年度考核优秀等次、市委“七一”表彰对象，
      // 按1：1.5的比例实行; 党建工作目标考核分值按比例折算 — not in seed: the ratio.
      parallel: {
        ratio: 20,
        honours: [
          { key: 'advanced_unit', label: '年度目标考核先进单位', margin: 1.5 },
          { key: 'excellent_leaders', label: '党组织主要负责人和党建工作直接责任人年度考核优秀等次', margin: 1.5 },
          { key: 'july_first', label: '市委“七一”表彰对象', margin: 1.5 },
        ],
      },
      // 述职评议考核工作结束十五日内…形成工作报告报市委组织部; the city files its results with 孝感市委组织部 (四(三)).
      summary: { dueDaysAfterRound: 15, resultsDueDate: null, upperBody: '孝感市委组织部' },
      phases: phases(year, [
        ['preparation', '11-21', '11-30'], // 自11月下旬启动
        ['reports', '11-21', '12-05'], // 10 days before the meeting
        ['review', '11-25', '12-14'],
        ['field', '12-01', '+01-15'], // 12月上旬启动; 镇村1月上旬、市直单位1月中旬基本结束
        ['meeting', '12-15', '12-25'], // 12月中下旬; not in seed: exact days
        ['evaluation', '+01-16', '+01-25'], // not in seed: default
        ['feedback', '+01-26', '+01-31'], // not in seed: default
        ['rectification', '+02-01', '+06-30'], // not in seed: default
        ['summary', '+02-01', '+02-15'], // 结束十五日内
      ]),
    };
  },
};

export const TEMPLATES: CampaignTemplate[] = [national, university, county, township, city];

/** A campaign's starting settings for the assessed year (a round runs into the next January). */
export function buildFromTemplate(templateId: string, year: number) {
  const template = TEMPLATES.find((t) => t.id === templateId);
  if (!template) throw new AppError('UNKNOWN_TEMPLATE', `模板「${templateId}」不存在`, { field: 'templateId' });
  if (!Number.isInteger(year) || year < 2000 || year > 2099) {
    throw new AppError('INVALID_YEAR', '年度应为2000至2099之间的年份', { field: 'year' });
  }
  return {
    templateId: template.id,
    seedId: template.seedId,
    title: `${year}年度党组织书记抓基层党建工作述职评议考核`,
    settings: validateSettings(template.build(year)),
  };
}
