import { useMemo } from 'react';
import { useEChart } from '../../lib/use-echart';
import { STATE_LABELS } from './shared';

const ORDER = ['draft', 'published', 'closed', 'archived'];
const COLORS: Record<string, string> = {
  draft: '#bfbfbf',
  published: '#1677ff',
  closed: '#52c41a',
  archived: '#8c8c8c',
};

/** Sub-campaigns by state (R-CAMP-2), one bar per state. */
export function StateChart({ byState, overdue }: { byState: Record<string, number>; overdue: number }) {
  const option = useMemo(() => {
    const states = ORDER.filter((s) => s in byState).concat(Object.keys(byState).filter((s) => !ORDER.includes(s)));
    const data = states.map((s) => ({
      name: STATE_LABELS[s]?.label ?? s,
      value: byState[s],
      itemStyle: { color: COLORS[s] ?? '#c8161d' },
    }));
    data.push({ name: '逾期', value: overdue, itemStyle: { color: '#c8161d' } });
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: data.map((d) => d.name) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: '下级方案数', data, barMaxWidth: 48, label: { show: true, position: 'top' } }],
    };
  }, [byState, overdue]);
  const el = useEChart(option);

  return (
    <div
      ref={el}
      style={{ width: '100%', height: 200 }}
      data-testid="progress-chart"
      role="img"
      aria-label="下级方案状态分布"
    />
  );
}
