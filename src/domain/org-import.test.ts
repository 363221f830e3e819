import { describe, expect, it } from 'vitest';
import {
  type ExistingOrg,
  parseDateCell,
  PLAN_PAUSE_EVERY,
  planOrgImport,
  planOrgImportPausing,
  type RawOrgRow,
} from './org-import';

const row = (n: number, code: string, parentCode: string, extra: Partial<RawOrgRow> = {}): RawOrgRow => ({
  row: n,
  code,
  name: `${code}党支部`,
  parentCode,
  kind: '党支部',
  sector: '农村',
  level: '基层',
  secretaryName: '',
  secretaryPosition: '',
  tenureStart: '',
  secretaryPhone: '',
  ...extra,
});
const existing = new Map<string, ExistingOrg>([
  ['A', { id: 1, path: '/1/', depth: 0, inScope: true }],
  ['B', { id: 9, path: '/9/', depth: 0, inScope: false }],
]);

describe('R-ORG-4 import plan', () => {
  it('orders parents before children even when the file lists children first', () => {
    const { errors, plan } = planOrgImport(
      [row(2, 'C2', 'C1'), row(3, 'C1', 'A'), row(4, 'C3', 'C2')],
      existing,
      '2025-01-01',
    );
    expect(errors).toEqual([]);
    expect(plan.map((p) => p.code)).toEqual(['C1', 'C2', 'C3']);
    expect(plan[0].parent).toEqual({ existingId: 1, path: '/1/', depth: 0 });
    expect(plan[1].parent).toEqual({ code: 'C1' });
  });

  it('reports every bad row with its number and a Chinese reason, and plans nothing', () => {
    const { errors, plan } = planOrgImport(
      [
        row(2, 'OK', 'A'),
        row(3, 'X1', 'B'),
        row(4, 'OK', 'A'),
        row(5, 'X2', 'A', { kind: '党小组' }),
        row(6, 'X3', 'A', { secretaryName: '张三', tenureStart: '2030-01-01' }),
      ],
      existing,
      '2025-01-01',
    );
    expect(plan).toEqual([]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, '上级组织编码'],
      [4, '组织编码'],
      [5, '组织类别'],
      [6, '书记任职时间'],
    ]);
    expect(errors[0].message).toContain('不在您的管理范围内');
    expect(errors[1].message).toContain('与第2行重复');
    expect(errors[3].message).toContain('晚于今天');
  });

  it('finds a cycle among rows of the file', () => {
    const { errors } = planOrgImport([row(2, 'P', 'Q'), row(3, 'Q', 'P')], existing, '2025-01-01');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].message).toContain('循环');
  });
});

describe('parseDateCell', () => {
  it('accepts the usual ways of writing a date and refuses impossible ones', () => {
    expect(parseDateCell('2024-03-15')).toBe('2024-03-15');
    expect(parseDateCell('2024/3/5')).toBe('2024-03-05');
    expect(parseDateCell('2024年3月5日')).toBe('2024-03-05');
    expect(parseDateCell('2024-02-30')).toBeNull();
    expect(parseDateCell('明年')).toBeNull();
  });
});

describe('R-ORG-4 cooperative planning', () => {
  it('pauses every few hundred rows and plans exactly as the one-go check does', async () => {
    // Children listed before parents, plus one bad row, so both passes and the error path are covered.
    const rows = Array.from({ length: 3 * PLAN_PAUSE_EVERY }, (_, i) =>
      row(i + 2, `X${i}`, i === 0 ? 'A' : `X${i - 1}`),
    ).reverse();
    let pauses = 0;
    const pause = async () => {
      pauses++;
    };
    const ok = await planOrgImportPausing(rows, existing, '2025-01-01', pause);
    expect(ok).toEqual(planOrgImport(rows, existing, '2025-01-01'));
    expect(ok.plan.map((p) => p.code).slice(0, 2)).toEqual(['X0', 'X1']);
    expect(pauses).toBeGreaterThanOrEqual(5);

    const bad = [...rows, row(9999, 'X5', 'A')];
    const failed = await planOrgImportPausing(bad, existing, '2025-01-01', pause);
    expect(failed.plan).toEqual([]);
    expect(failed.errors).toEqual([{ row: 9999, column: '组织编码', message: expect.stringContaining('重复') }]);
  });
});
