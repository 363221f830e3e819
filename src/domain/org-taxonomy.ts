/** Organization kinds, sectors and levels (R-ORG-1) with the Chinese labels users see and import. */

export const ORG_KINDS = [
  { code: 'committee', label: '党委' },
  { code: 'working_committee', label: '党工委' },
  { code: 'leading_group', label: '党组' },
  { code: 'work_committee', label: '工委' },
  { code: 'organ_working_committee', label: '机关工委' },
  { code: 'general_branch', label: '党总支' },
  { code: 'branch', label: '党支部' },
  { code: 'sub_committee', label: '分党委' },
  // 001: a branch directly under the top committee reports in the 分党委/党总支 tier, not as a 党支部.
  { code: 'direct_branch', label: '直属党支部' },
] as const;

export const SECTORS = [
  { code: 'rural', label: '农村' },
  { code: 'community', label: '社区' },
  { code: 'organ', label: '机关' },
  { code: 'soe', label: '国有企业' },
  { code: 'university', label: '高校' },
  { code: 'institution', label: '公立医院等事业单位' },
  { code: 'non_public', label: '非公企业' },
  { code: 'social_org', label: '社会组织' },
] as const;

/** Tiers of 000 §3: province → city → county → township/street → village/community, plus grassroots units. */
export const LEVELS = [
  { code: 'province', label: '省级' },
  { code: 'city', label: '市级' },
  { code: 'county', label: '县级' },
  { code: 'township', label: '乡镇级' },
  { code: 'grassroots', label: '基层' },
] as const;

export type OrgKind = (typeof ORG_KINDS)[number]['code'];
export type Sector = (typeof SECTORS)[number]['code'];
export type Level = (typeof LEVELS)[number]['code'];

export const KIND_CODES = ORG_KINDS.map((k) => k.code) as [OrgKind, ...OrgKind[]];
export const SECTOR_CODES = SECTORS.map((s) => s.code) as [Sector, ...Sector[]];
export const LEVEL_CODES = LEVELS.map((l) => l.code) as [Level, ...Level[]];

/** Spreadsheets mix half- and full-width brackets and stray spaces; compare without them. */
const normalize = (text: string) => text.replace(/\s/g, '').replace(/\(/g, '（').replace(/\)/g, '）');

const byLabel =
  <T extends { code: string; label: string }>(list: readonly T[], aliases: Record<string, T['code']> = {}) =>
  (label: string): T['code'] | undefined => {
    const t = normalize(label);
    return list.find((x) => x.label === t || x.code === t)?.code ?? aliases[t];
  };
const labelOf =
  <T extends { code: string; label: string }>(list: readonly T[]) =>
  (code: string): string =>
    list.find((x) => x.code === code)?.label ?? code;

export const kindFromLabel = byLabel(ORG_KINDS, {
  党工作委员会: 'working_committee',
  '党（工）委': 'working_committee',
  街道党工委: 'working_committee',
  社区工委: 'work_committee',
  非公和社会组织工委: 'work_committee',
  县直工委: 'organ_working_committee',
  直属机关工委: 'organ_working_committee',
  党总支部: 'general_branch',
  直属支部: 'direct_branch',
});
export const sectorFromLabel = byLabel(SECTORS, {
  事业单位: 'institution',
  公立医院: 'institution',
  '公立医院/事业单位': 'institution',
  非公有制企业: 'non_public',
  国企: 'soe',
  村: 'rural',
});
export const levelFromLabel = byLabel(LEVELS, {
  乡镇: 'township',
  街道: 'township',
  '乡镇（街道）': 'township',
  县: 'county',
  市: 'city',
  省: 'province',
  村: 'grassroots',
  社区: 'grassroots',
  '村（社区）': 'grassroots',
});
export const kindLabel = labelOf(ORG_KINDS);
export const sectorLabel = labelOf(SECTORS);
export const levelLabel = labelOf(LEVELS);
