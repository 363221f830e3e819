/** Organization kinds, sectors and levels (R-ORG-1) with the Chinese labels users see and import. */

export const ORG_KINDS = [
  { code: 'committee', label: '党委' },
  { code: 'working_committee', label: '党工委' },
  { code: 'leading_group', label: '党组' },
  { code: 'organ_working_committee', label: '工委' },
  { code: 'general_branch', label: '党总支' },
  { code: 'branch', label: '党支部' },
  { code: 'sub_committee', label: '分党委' },
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

const byLabel = <T extends { code: string; label: string }>(list: readonly T[], aliases: Record<string, T['code']> = {}) =>
  (label: string): T['code'] | undefined => {
    const t = label.trim();
    return list.find((x) => x.label === t || x.code === t)?.code ?? aliases[t];
  };
const labelOf = <T extends { code: string; label: string }>(list: readonly T[]) =>
  (code: string): string => list.find((x) => x.code === code)?.label ?? code;

export const kindFromLabel = byLabel(ORG_KINDS, { 机关工委: 'organ_working_committee', 党工作委员会: 'working_committee' });
export const sectorFromLabel = byLabel(SECTORS, {
  事业单位: 'institution', 公立医院: 'institution', 非公有制企业: 'non_public', 国企: 'soe', 村: 'rural',
});
export const levelFromLabel = byLabel(LEVELS, { 乡镇: 'township', 街道: 'township', 县: 'county', 市: 'city', 省: 'province' });
export const kindLabel = labelOf(ORG_KINDS);
export const sectorLabel = labelOf(SECTORS);
export const levelLabel = labelOf(LEVELS);
