import { describe, expect, it } from 'vitest';
import { judgeTrends, leastSquaresSlope } from './trend.js';
import { plotSvg } from './svg-plot.js';

describe('soak trends', () => {
  it('fits the least-squares slope (exact on a line, the textbook value on noise)', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [5, 7, 9, 11])).toBeCloseTo(2, 12);
    // x = 1..5, y = 2,4,5,4,5: slope = Sxy/Sxx = 6/10 (worked by hand).
    expect(leastSquaresSlope([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.6, 12);
    expect(leastSquaresSlope([1], [1])).toBe(0);
    expect(leastSquaresSlope([2, 2], [1, 5])).toBe(0);
  });

  it('judges only the samples after warm-up, per hour, against each bound', () => {
    const minute = 60_000;
    const times = Array.from({ length: 61 }, (_, i) => i * minute);
    // Fast growth during warm-up (10 min), then flat with a sawtooth; a leak of 0.5 per minute.
    const flat = times.map((_, i) => (i < 10 ? i * 20 : 200 + (i % 3)));
    const leak = times.map((_, i) => 100 + i * 0.5);
    const [f, l] = judgeTrends(
      times,
      { flat, leak },
      [
        { name: 'flat', unit: 'MiB', boundPerHour: 10 },
        { name: 'leak', unit: 'MiB', boundPerHour: 10 },
      ],
      10 * minute,
    );
    expect(f!.ok).toBe(true);
    expect(Math.abs(f!.slopePerHour)).toBeLessThan(1);
    expect(l!.ok).toBe(false);
    expect(l!.slopePerHour).toBeCloseTo(30, 6);
    expect(l!.first).toBe(105);
    expect(l!.last).toBe(130);
  });

  it('judges a capped count by its maximum, not by where the samples fell in a step', () => {
    const minute = 60_000;
    const times = Array.from({ length: 40 }, (_, i) => i * minute);
    // 0/1 children sampled at step ends: more 1s late in the run gives a steep slope, no leak.
    const sampled = times.map((_, i) => (i > 30 || i % 4 === 0 ? 1 : 0));
    const leaking = times.map((_, i) => (i < 30 ? i % 2 : 3));
    const series = [
      { name: 'sampled', unit: 'count', boundPerHour: 1, cap: 2 },
      { name: 'leaking', unit: 'count', boundPerHour: 1, cap: 2 },
    ];
    const [s, l] = judgeTrends(times, { sampled, leaking }, series, 0);
    expect(s!.slopePerHour).toBeGreaterThan(1);
    expect(s!.ok).toBe(true);
    expect(l!.max).toBe(3);
    expect(l!.ok).toBe(false);
  });

  it('draws one escaped panel per series with the warm-up mark', () => {
    const svg = plotSvg(
      'a <b>',
      [0, 1, 2],
      'min',
      [
        { label: 'rss', values: [1, 2, 3] },
        { label: 'fds', values: [4, NaN, 4] },
      ],
      1,
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('a &lt;b&gt;');
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).not.toContain('NaN');
  });
});
