import { timeTicks, valueTicks } from './chartScale.js';
import { el, svg } from './dom.js';
import { formatCount, formatFailureRate, parseMagentoUtc } from './format.js';
import type { DeliveryStats, SeriesPoint } from './wire.js';

const WIDTH = 960;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 56, bottom: 40, left: 56 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
const BOTTOM = MARGIN.top + PLOT_HEIGHT;

/** Where things go: bucket positions to x, counts and rates to y. */
interface Frame {
  slot: number;
  x(position: number): number;
  countY(count: number): number;
  rateY(ratio: number): number;
}

function frameFor(series: readonly SeriesPoint[], top: number): Frame {
  const slot = PLOT_WIDTH / Math.max(1, series.length);
  return {
    slot,
    x: (position) => MARGIN.left + position * slot,
    countY: (count) => BOTTOM - (count / top) * PLOT_HEIGHT,
    rateY: (ratio) => BOTTOM - ratio * PLOT_HEIGHT,
  };
}

function countAxis(ticks: readonly number[], frame: Frame, bucketMinutes: number): SVGElement[] {
  const middle = MARGIN.top + PLOT_HEIGHT / 2;
  return [
    ...ticks.map((tick) =>
      svg(
        'g',
        { class: 'tick' },
        svg('line', {
          class: 'grid',
          x1: MARGIN.left,
          x2: MARGIN.left + PLOT_WIDTH,
          y1: frame.countY(tick),
          y2: frame.countY(tick),
        }),
        svg(
          'text',
          { class: 'axis-label', x: MARGIN.left - 8, y: frame.countY(tick) + 4, 'text-anchor': 'end' },
          formatCount(tick),
        ),
      ),
    ),
    svg(
      'text',
      {
        class: 'axis-title',
        x: 14,
        y: middle,
        transform: `rotate(-90 14 ${middle})`,
        'text-anchor': 'middle',
      },
      `attempts per ${bucketMinutes} min`,
    ),
  ];
}

function rateAxis(frame: Frame): SVGElement[] {
  return [0, 0.25, 0.5, 0.75, 1].map((ratio) =>
    svg(
      'text',
      { class: 'axis-label', x: MARGIN.left + PLOT_WIDTH + 8, y: frame.rateY(ratio) + 4 },
      `${ratio * 100}%`,
    ),
  );
}

function timeAxis(stats: Pick<DeliveryStats, 'series' | 'window'>, frame: Frame): SVGElement[] {
  const ticks = timeTicks(
    {
      fromMs: parseMagentoUtc(stats.window.from) ?? 0,
      bucketMinutes: stats.window.bucket_minutes,
      buckets: stats.series.length,
    },
    8,
  );
  return [
    svg('line', { class: 'axis', x1: MARGIN.left, x2: MARGIN.left + PLOT_WIDTH, y1: BOTTOM, y2: BOTTOM }),
    ...ticks.map((tick) =>
      svg(
        'g',
        { class: 'tick' },
        svg('line', {
          class: 'axis',
          x1: frame.x(tick.position),
          x2: frame.x(tick.position),
          y1: BOTTOM,
          y2: BOTTOM + 5,
        }),
        svg(
          'text',
          { class: 'axis-label', x: frame.x(tick.position), y: BOTTOM + 20, 'text-anchor': 'middle' },
          tick.label,
        ),
      ),
    ),
    svg('text', { class: 'axis-title', x: WIDTH - 8, y: HEIGHT - 4, 'text-anchor': 'end' }, 'UTC'),
  ];
}

/** Stacked bars, succeeded below and failed above, each with a tooltip of its numbers. */
function bars(series: readonly SeriesPoint[], frame: Frame): SVGElement[] {
  const width = Math.max(1, frame.slot * 0.8);
  return series.map((point, index) => {
    const left = frame.x(index) + (frame.slot - width) / 2;
    const succeeded = point.total - point.failed;
    return svg(
      'g',
      { class: 'bucket' },
      svg(
        'title',
        {},
        `${point.minute} UTC: ${formatCount(point.total)} attempts, ${formatCount(point.failed)} failed (${formatFailureRate(point.failed, point.total)})`,
      ),
      svg('rect', {
        class: 'bar-ok',
        x: left,
        width,
        y: frame.countY(succeeded),
        height: frame.countY(0) - frame.countY(succeeded),
      }),
      svg('rect', {
        class: 'bar-failed',
        x: left,
        width,
        y: frame.countY(point.total),
        height: frame.countY(succeeded) - frame.countY(point.total),
      }),
    );
  });
}

/**
 * The failure rate: a dot per bucket with attempts, joined by a line that breaks over empty
 * buckets (the rate is not defined there, and zero would be a lie).
 */
function rateLine(series: readonly SeriesPoint[], frame: Frame): SVGElement[] {
  let path = '';
  let previousDrawn = false;
  const dots: SVGElement[] = [];
  series.forEach((point, index) => {
    if (point.total === 0) {
      previousDrawn = false;
      return;
    }
    const px = frame.x(index + 0.5).toFixed(1);
    const py = frame.rateY(point.failed / point.total).toFixed(1);
    path += `${previousDrawn ? 'L' : 'M'}${px},${py} `;
    previousDrawn = true;
    dots.push(svg('circle', { class: 'rate-dot', cx: px, cy: py, r: 4 }));
  });
  return path === '' ? [] : [svg('path', { class: 'rate-line', d: path.trim() }), ...dots];
}

/**
 * The overview's time-series chart, drawn as SVG: attempts per bucket as stacked bars against the
 * left axis, the failure rate against the right axis (0–100 %), clock times (UTC) along the bottom.
 */
export function deliveryChart(stats: Pick<DeliveryStats, 'series' | 'window' | 'totals'>): HTMLElement {
  const counts = valueTicks(Math.max(0, ...stats.series.map((point) => point.total)), 4);
  const frame = frameFor(stats.series, counts.top);
  const summary = `${formatCount(stats.totals.total)} delivery attempts, ${formatCount(stats.totals.failed)} failed, from ${stats.window.from} to ${stats.window.to} UTC`;
  const chart = svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': summary,
      'data-total': stats.totals.total,
      'data-failed': stats.totals.failed,
    },
    ...countAxis(counts.ticks, frame, stats.window.bucket_minutes),
    ...bars(stats.series, frame),
    ...rateLine(stats.series, frame),
    ...timeAxis(stats, frame),
    ...rateAxis(frame),
  );
  return el(
    'figure',
    { class: 'chart-figure' },
    chart,
    el(
      'figcaption',
      { class: 'legend' },
      el('span', { class: 'swatch swatch-ok' }),
      'succeeded ',
      el('span', { class: 'swatch swatch-failed' }),
      'failed ',
      el('span', { class: 'swatch swatch-rate' }),
      'failure rate (right axis)',
    ),
  );
}
