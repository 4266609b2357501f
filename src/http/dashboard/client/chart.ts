import { timeTicks, valueTicks } from './chartScale.js';
import { el, svg } from './dom.js';
import { formatCount, formatFailureRate, parseMagentoUtc } from './format.js';
import type { DeliveryStats } from './wire.js';

const WIDTH = 960;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 56, bottom: 40, left: 56 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

/**
 * The overview's time-series chart, drawn as SVG: attempts per bucket as stacked bars (succeeded
 * below, failed above) against the left axis, the failure rate as a line against the right axis
 * (0–100 %), clock times (UTC) along the bottom. Each bar has a tooltip with its numbers.
 */
export function deliveryChart(stats: Pick<DeliveryStats, 'series' | 'window' | 'totals'>): HTMLElement {
  const { series, window: span } = stats;
  const maxTotal = Math.max(0, ...series.map((point) => point.total));
  const counts = valueTicks(maxTotal, 4);
  const slot = PLOT_WIDTH / Math.max(1, series.length);
  const barWidth = Math.max(1, slot * 0.8);
  const y = (value: number) => MARGIN.top + PLOT_HEIGHT - (value / counts.top) * PLOT_HEIGHT;
  const x = (position: number) => MARGIN.left + position * slot;

  const grid = counts.ticks.map((tick) =>
    svg(
      'g',
      { class: 'tick' },
      svg('line', { class: 'grid', x1: MARGIN.left, x2: MARGIN.left + PLOT_WIDTH, y1: y(tick), y2: y(tick) }),
      svg(
        'text',
        { class: 'axis-label', x: MARGIN.left - 8, y: y(tick) + 4, 'text-anchor': 'end' },
        formatCount(tick),
      ),
    ),
  );
  const rateTicks = [0, 0.25, 0.5, 0.75, 1].map((ratio) =>
    svg(
      'text',
      { class: 'axis-label', x: MARGIN.left + PLOT_WIDTH + 8, y: MARGIN.top + PLOT_HEIGHT * (1 - ratio) + 4 },
      `${ratio * 100}%`,
    ),
  );
  const fromMs = parseMagentoUtc(span.from) ?? 0;
  const times = timeTicks({ fromMs, bucketMinutes: span.bucket_minutes, buckets: series.length }, 8).map(
    (tick) =>
      svg(
        'g',
        { class: 'tick' },
        svg('line', {
          class: 'axis',
          x1: x(tick.position),
          x2: x(tick.position),
          y1: MARGIN.top + PLOT_HEIGHT,
          y2: MARGIN.top + PLOT_HEIGHT + 5,
        }),
        svg(
          'text',
          {
            class: 'axis-label',
            x: x(tick.position),
            y: MARGIN.top + PLOT_HEIGHT + 20,
            'text-anchor': 'middle',
          },
          tick.label,
        ),
      ),
  );

  const bars = series.map((point, index) => {
    const left = x(index) + (slot - barWidth) / 2;
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
        width: barWidth,
        y: y(succeeded),
        height: y(0) - y(succeeded),
      }),
      svg('rect', {
        class: 'bar-failed',
        x: left,
        width: barWidth,
        y: y(point.total),
        height: y(succeeded) - y(point.total),
      }),
    );
  });

  // The rate is only defined where there were attempts: the line breaks over empty buckets.
  let path = '';
  let drawing = false;
  series.forEach((point, index) => {
    if (point.total === 0) {
      drawing = false;
      return;
    }
    const px = x(index + 0.5).toFixed(1);
    const py = (MARGIN.top + PLOT_HEIGHT * (1 - point.failed / point.total)).toFixed(1);
    path += `${drawing ? 'L' : 'M'}${px},${py} `;
    drawing = true;
  });

  const summary = `${formatCount(stats.totals.total)} delivery attempts, ${formatCount(stats.totals.failed)} failed, from ${span.from} to ${span.to} UTC`;
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
    ...grid,
    ...bars,
    path !== '' && svg('path', { class: 'rate-line', d: path.trim() }),
    svg('line', {
      class: 'axis',
      x1: MARGIN.left,
      x2: MARGIN.left + PLOT_WIDTH,
      y1: MARGIN.top + PLOT_HEIGHT,
      y2: MARGIN.top + PLOT_HEIGHT,
    }),
    ...times,
    ...rateTicks,
    svg(
      'text',
      {
        class: 'axis-title',
        x: 14,
        y: MARGIN.top + PLOT_HEIGHT / 2,
        transform: `rotate(-90 14 ${MARGIN.top + PLOT_HEIGHT / 2})`,
        'text-anchor': 'middle',
      },
      `attempts per ${span.bucket_minutes} min`,
    ),
    svg('text', { class: 'axis-title', x: WIDTH - 8, y: HEIGHT - 4, 'text-anchor': 'end' }, 'UTC'),
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
