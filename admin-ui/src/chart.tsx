import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartLine {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

interface Props {
  title: string;
  /** Bucket starts, in seconds since the epoch. */
  x: number[];
  lines: ChartLine[];
  /** Formats values on the y axis (counts by default). */
  percent?: boolean;
}

/** One uPlot time-series chart that follows its container's width. */
export function Chart({ title, x, lines, percent }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${percent ? 'p' : 'c'}|${lines.map((l) => l.label).join('|')}`;

  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 240),
      height: 200,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        x: { time: true },
        y: percent ? { range: [0, 1] } : { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        { stroke: '#5b6675', grid: { stroke: '#e6e9ee' } },
        {
          stroke: '#5b6675',
          grid: { stroke: '#e6e9ee' },
          size: 48,
          values: (_u, ticks) =>
            ticks.map((v) => (percent ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? v : '')),
        },
      ],
      series: [
        { label: 'Time' },
        ...lines.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 2,
          dash: l.dash,
          spanGaps: percent === true,
          points: { show: false },
          value: (_u: uPlot, v: number | null) =>
            v === null ? '—' : percent ? `${(v * 100).toFixed(1)}%` : String(v),
        })),
      ],
    };
    const u = new uPlot(opts, [x, ...lines.map((l) => l.values)] as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      u.setSize({ width: Math.max(el.clientWidth, 240), height: 200 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of lines changes; new data goes through setData below.
  }, [shape]);

  useEffect(() => {
    plot.current?.setData([x, ...lines.map((l) => l.values)] as uPlot.AlignedData);
  }, [x, lines]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={host} class="chart-host" />
    </figure>
  );
}
