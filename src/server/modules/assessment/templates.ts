import type { Method } from '../../../domain/checklist';
import type { CampaignSettings } from '../../../domain/campaign-settings';

/**
 * Default checklists per kind of reporting organization (R-ASSESS-1). The seeds name the areas to
 * check but give no scored item list: 004 (三(三)1) lists 班子建设、联系服务群众、落实基本制度、党员教育管理、
 * 办公活动场所建设使用、发展壮大村级集体经济 for villages and "随机抽查、现场走访、查阅资料" of the
 * township's villages, communities and enterprises for townships; 000 §6 says what can be seen on
 * site or heard from members and residents is not judged from paperwork. The items and points below
 * are therefore written by us along those lines (not in seed) — each sums to 100 and favours
 * 看现场/访群众 over 查资料; organizers edit them per campaign.
 */
export const TEMPLATE_KINDS = [
  { code: 'township', label: '乡镇（街道）党（工）委' },
  { code: 'village', label: '村（社区）党组织' },
  { code: 'organ', label: '机关（县直单位）党组织' },
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number]['code'];
export const TEMPLATE_KIND_CODES = TEMPLATE_KINDS.map((k) => k.code) as [TemplateKind, ...TemplateKind[]];

type T = [section: string, title: string, maxPoints: number, method: Method, guidance: string];

const TOWNSHIP: T[] = [
  [
    '履行主体责任',
    '书记抓基层党建亲力亲为，年度重点任务落实到村（社区）',
    10,
    'interview',
    '随机走访2个村（社区）书记，问书记到村指导、解决问题的具体事例；说不出具体事的酌情扣分',
  ],
  ['履行主体责任', '上年度述职评议考核整改清单落实', 10, 'site', '对照整改清单逐项到现场查看整改结果；未整改一项扣2分'],
  [
    '基层组织建设',
    '村（社区）党组织标准化规范化建设',
    15,
    'site',
    '随机抽查2个村（社区）党群服务中心：阵地、制度上墙、开放使用情况',
  ],
  ['基层组织建设', '软弱涣散村（社区）党组织整顿转化', 10, 'site', '到列入整顿的村查看整顿措施和实际变化'],
  [
    '党员队伍建设',
    '发展党员、党员教育管理和主题党日开展',
    10,
    'interview',
    '随机访谈3名普通党员，了解近期主题党日内容；答不上来的扣分',
  ],
  [
    '党员队伍建设',
    '村（社区）干部队伍建设和后备力量培养',
    10,
    'documents',
    '查阅村干部名册和后备人才库，核对年龄、学历结构',
  ],
  ['服务群众', '联系服务群众、为民办实事', 15, 'interview', '随机走访5户群众，了解党员干部联系服务情况和群众满意度'],
  ['发展推动', '发展壮大村级集体经济', 10, 'site', '查看集体经济项目实地运营情况，核对集体经营性收入'],
  ['党建引领', '非公企业、社会组织党建“两个覆盖”', 10, 'site', '随机抽查1家非公企业或社会组织，查看党组织活动开展'],
];

const VILLAGE: T[] = [
  [
    '班子建设',
    '村（社区）“两委”班子团结干事、书记带头作用',
    15,
    'interview',
    '走访党员群众，了解班子团结和书记办实事情况',
  ],
  ['联系服务群众', '党员联系户、为民办事代办落实', 15, 'interview', '随机走访5户群众，问是否知道联系党员、办过什么事'],
  [
    '落实基本制度',
    '“三会一课”、主题党日、组织生活会',
    15,
    'interview',
    '随机问3名党员最近一次主题党日的内容；不以会议记录数量评判',
  ],
  ['落实基本制度', '“四议两公开”和村务公开', 10, 'site', '查看公开栏内容是否及时、真实'],
  ['党员教育管理', '党员教育培训和流动党员管理', 10, 'documents', '查阅党员名册、流动党员台账，核对抽查党员情况'],
  ['阵地建设', '党群服务中心建设和日常开放使用', 15, 'site', '现场查看阵地是否常开放、有人值守、群众在用'],
  ['集体经济', '发展壮大村级集体经济', 20, 'site', '查看集体经济项目现场，核对年度集体经营性收入'],
];

const ORGAN: T[] = [
  [
    '主体责任',
    '党组（党委）书记履行第一责任人职责',
    15,
    'interview',
    '访谈2名支部书记和党员，了解书记研究、部署、督促党建工作的具体事例',
  ],
  ['主体责任', '党建与业务工作融合、服务中心大局', 15, 'interview', '走访服务对象或办事群众，了解作风和服务效能'],
  ['组织建设', '支部设置、按期换届和支部标准化建设', 15, 'site', '查看支部活动阵地和开展活动情况'],
  [
    '组织生活',
    '“三会一课”、主题党日、民主评议党员',
    15,
    'interview',
    '随机问3名党员近期组织生活内容；不以记录留痕数量评判',
  ],
  ['党员管理', '党员教育管理、党费收缴', 10, 'documents', '查阅党费收缴凭证和党员教育培训安排'],
  [
    '作风建设',
    '为基层减负、整治形式主义官僚主义',
    15,
    'interview',
    '走访下属单位或基层，了解发文开会、检查考核是否精简',
  ],
  ['问题整改', '上年度述职评议考核整改清单落实', 15, 'site', '对照整改清单到现场核查整改结果'],
];

const ITEMS: Record<TemplateKind, T[]> = { township: TOWNSHIP, village: VILLAGE, organ: ORGAN };

export interface TemplateChecklist {
  title: string;
  appliesTo: { tierKeys?: string[]; sectors?: string[] };
  items: { section: string; title: string; maxPoints: number; method: Method; guidance: string }[];
}

/**
 * The default checklist of a kind, with `appliesTo` derived from the campaign: townships by the
 * reporter tiers that match the township level (sectors cannot tell a township from its villages —
 * both are 农村), villages and communities and organs by sector.
 */
export function templateChecklist(
  kind: TemplateKind,
  settings: Pick<CampaignSettings, 'reporterTiers'> | null,
): TemplateChecklist {
  const label = TEMPLATE_KINDS.find((k) => k.code === kind)!.label;
  let appliesTo: TemplateChecklist['appliesTo'];
  if (kind === 'township') {
    const tiers = (settings?.reporterTiers ?? []).filter((t) => t.match.levels?.includes('township')).map((t) => t.key);
    appliesTo = tiers.length
      ? { tierKeys: tiers, sectors: ['rural', 'community'] }
      : { sectors: ['rural', 'community'] };
  } else if (kind === 'village') {
    appliesTo = { sectors: ['rural', 'community'] };
  } else {
    appliesTo = { sectors: ['organ'] };
  }
  return {
    title: `${label}实地考核细则`,
    appliesTo,
    items: ITEMS[kind].map(([section, title, maxPoints, method, guidance]) => ({
      section,
      title,
      maxPoints,
      method,
      guidance,
    })),
  };
}
