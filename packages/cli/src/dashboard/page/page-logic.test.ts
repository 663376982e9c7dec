import { describe, expect, it } from 'vitest';
import { describeLiveStep, escapeHtml, formatDuration, formatLoss, shortKey } from './format.js';
import { lastStepLosses, seriesByUid, type ChartStep } from './series.js';
import { batchBarsSvg, lineChartSvg, niceTicks } from './svg-chart.js';

const steps: ChartStep[] = [
  { run: 'r', step: 4, rows: [{ uid: 3, averageLoss: 2, winRate: 1, weight: 0.6, losses: [2, 2] }] },
  {
    run: 'r',
    step: 5,
    rows: [
      { uid: 1, averageLoss: null, winRate: 0, weight: 0.1, losses: [null, null] },
      { uid: 3, averageLoss: 1.5, winRate: 1, weight: 0.9, losses: [1.4, 1.6] },
    ],
  },
];

describe('dashboard page logic', () => {
  it('builds one series per uid over the steps, with gaps where a uid was absent or failed', () => {
    const { labels, series } = seriesByUid(steps, 'averageLoss');
    expect(labels).toEqual(['4', '5']);
    expect(series).toEqual([
      {
        uid: 1,
        points: [
          { x: 0, y: null },
          { x: 1, y: null },
        ],
      },
      {
        uid: 3,
        points: [
          { x: 0, y: 2 },
          { x: 1, y: 1.5 },
        ],
      },
    ]);
    expect(lastStepLosses(steps[1], [3, 1, 7])).toEqual([
      { uid: 3, losses: [1.4, 1.6] },
      { uid: 1, losses: [null, null] },
    ]);
  });

  it('draws a path per uid, the best ones marked, and never writes markup from data unescaped', () => {
    const { labels, series } = seriesByUid(steps, 'weight');
    const svg = lineChartSvg({ labels, series, highlight: [3], title: '<script>' });
    expect(svg.match(/<path class="series[^"]*" data-uid="\d+"/g)).toEqual([
      '<path class="series" data-uid="1"',
      '<path class="series best" data-uid="3"',
    ]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('M');
    const bars = batchBarsSvg({ groups: lastStepLosses(steps[1], [3]), title: 'b' });
    expect(bars.match(/<rect /g)).toHaveLength(2);
  });

  it('picks round ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1.23, 1.87, 4)).toEqual([1.4, 1.6, 1.8]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });

  it('formats losses, durations, keys and the live step', () => {
    expect(formatLoss(null)).toBe('inf');
    expect(formatLoss(1.23456)).toBe('1.2346');
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(null)).toBe('–');
    expect(shortKey('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty')).toBe('5FHneW…M694ty');
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
    expect(describeLiveStep(null)).toBe('between steps');
    expect(
      describeLiveStep({
        step: 2,
        block: 40,
        modelIndex: 2,
        modelCount: 4,
        uid: 3,
        batchesDone: 1,
        batchCount: 5,
        tokensPerSecond: 812.4,
        etaSeconds: 95,
      }),
    ).toBe('step 2 at block 40: model 2 of 4 (uid 3), batch 1/5, 812 tokens/s, ETA 1 min 35 s');
  });
});
