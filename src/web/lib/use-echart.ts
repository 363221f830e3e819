import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// The charts and components the pages draw; registered once here instead of in every page that draws one.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type EChartOption = echarts.EChartsCoreOption;
export type EChartClick = echarts.ECElementEvent;

/**
 * One ECharts instance for the element the returned ref is put on: created when it mounts, resized with the window,
 * disposed when it unmounts, and redrawn (replacing the previous option, without animation) whenever `option` changes —
 * so callers memoize the option. `onClick` may change between renders without re-creating the chart.
 */
export function useEChart(option: EChartOption, onClick?: (params: EChartClick) => void) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current);
    chart.current = instance;
    instance.on('click', (p) => click.current?.(p as EChartClick));
    const onResize = () => instance.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);

  return el;
}
