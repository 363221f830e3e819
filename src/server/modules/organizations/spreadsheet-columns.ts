import { LEVELS, ORG_KINDS, SECTORS } from '../../../domain/org-taxonomy';

/** One column layout for the import template, the import parser and the export, so they round-trip. */
export const ORG_SHEET_NAME = '组织与书记';
export const ORG_COLUMNS = [
  {
    key: 'code',
    header: '组织编码',
    required: true,
    width: 18,
    note: '唯一编码，字母、数字、短横线或下划线，最长64位',
  },
  { key: 'name', header: '组织名称', required: true, width: 30, note: '党组织全称，最长100字' },
  {
    key: 'parentCode',
    header: '上级组织编码',
    required: true,
    width: 18,
    note: '隶属的上级党组织编码：可以是系统中已有的组织，也可以是本文件中的另一行',
  },
  {
    key: 'kind',
    header: '组织类别',
    required: true,
    width: 12,
    note: `可选：${ORG_KINDS.map((k) => k.label).join('、')}`,
  },
  { key: 'sector', header: '领域', required: true, width: 16, note: `可选：${SECTORS.map((s) => s.label).join('、')}` },
  { key: 'level', header: '层级', required: true, width: 10, note: `可选：${LEVELS.map((l) => l.label).join('、')}` },
  { key: 'secretaryName', header: '书记姓名', required: false, width: 12, note: '可空；填写后须同时填写任职时间' },
  { key: 'secretaryPosition', header: '书记职务', required: false, width: 20, note: '可空，默认“书记”' },
  { key: 'tenureStart', header: '书记任职时间', required: false, width: 14, note: '日期，如 2024-03-15；不能晚于今天' },
  { key: 'secretaryPhone', header: '书记联系电话', required: false, width: 16, note: '可空' },
] as const;
export type OrgColumnKey = (typeof ORG_COLUMNS)[number]['key'];
