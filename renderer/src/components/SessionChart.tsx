/**
 * A small line chart of one server's live sessions over the last hour. uPlot draws on a
 * canvas, so the chart is created once and only its data is replaced on each update.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tokens } from '@fluentui/react-components';
import type { SessionSeries } from '../session-history.js';

interface SessionChartProps {
  series: SessionSeries;
  /** The theme's colours are CSS variables; the canvas needs them resolved. */
  dark: boolean;
  label: string;
  width?: number;
  height?: number;
}

export function SessionChart({ series, dark, label, width = 120, height = 36 }: SessionChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const stroke = resolveColor(element, tokens.colorBrandForeground1, dark ? '#479ef5' : '#0f6cbd');
    const fill = translucent(stroke);
    const options: uPlot.Options = {
      width,
      height,
      pxAlign: false,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      axes: [{ show: false }, { show: false }],
      scales: {
        x: { time: true },
        // Always start at zero so that a flat line at 3 does not look like a flat line at 300.
        y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max * 1.25))] },
      },
      series: [{}, { stroke, fill, width: 1.5, points: { show: false } }],
    };
    chart.current = new uPlot(options, [[], []], element);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [dark, width, height]);

  useEffect(() => {
    chart.current?.setData([series.times, series.sessions]);
  }, [series, dark]);

  return <div ref={host} role="img" aria-label={label} data-points={series.times.length} data-first-point={series.times[0]} style={{ width, height, lineHeight: 0 }} />;
}

/** The line's colour, faint, for the area under it; works on both light and dark backgrounds. */
function translucent(color: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}2e` : color.replace(/^rgb\((.+)\)$/, 'rgba($1, 0.18)');
}

function resolveColor(element: HTMLElement, token: string, fallback: string): string {
  const variable = /var\((--[^),]+)/.exec(token)?.[1];
  const value = variable ? getComputedStyle(element).getPropertyValue(variable).trim() : '';
  return value || fallback;
}
