// Runs in the browser as well as in Node: no imports of Node modules here.
import { escapeHtml, uidColour } from './format.js';
import type { UidSeries } from './series.js';

/** Size of a chart's drawing, in SVG user units (the SVG scales to its box). */
export interface ChartFrame {
  readonly width: number;
  readonly height: number;
}

const PAD = { left: 52, right: 12, top: 10, bottom: 26 };

/** About `count` round tick values spanning [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The y range of the finite values, padded so lines do not touch the frame; [0, 1] without any. */
function yRange(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.max(Math.abs(hi) * 0.05, 0.5) : (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

const fmt = (x: number): string => String(Number(x.toPrecision(3)));

function axes(frame: ChartFrame, lo: number, hi: number, y: (v: number) => number, xLabels: string): string {
  const grid = niceTicks(lo, hi)
    .map(
      (t) =>
        `<line class="grid" x1="${PAD.left}" x2="${frame.width - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>` +
        `<text class="tick" x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`,
    )
    .join('');
  return `${grid}${xLabels}`;
}

/**
 * A line chart with one `<path class="series" data-uid>` per uid (gaps where a uid was
 * not evaluated or failed); uids in `highlight` are drawn thicker, on top.
 */
export function lineChartSvg(
  input: {
    labels: readonly string[];
    series: readonly UidSeries[];
    highlight?: readonly number[];
    title: string;
  },
  frame: ChartFrame = { width: 600, height: 220 },
): string {
  const { labels, series } = input;
  const highlight = new Set(input.highlight ?? []);
  const values = series.flatMap((s) => s.points.flatMap((p) => (p.y === null ? [] : [p.y])));
  const [lo, hi] = yRange(values);
  const innerW = frame.width - PAD.left - PAD.right;
  const innerH = frame.height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? innerW / 2 : (i * innerW) / (labels.length - 1));
  const y = (v: number) => PAD.top + innerH - ((v - lo) / (hi - lo)) * innerH;
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const xLabels = labels
    .map((label, i) =>
      i % every === 0 || i === labels.length - 1
        ? `<text class="tick" x="${x(i).toFixed(1)}" y="${frame.height - 8}" text-anchor="middle">${escapeHtml(label)}</text>`
        : '',
    )
    .join('');
  const ordered = [...series].sort((a, b) => Number(highlight.has(a.uid)) - Number(highlight.has(b.uid)));
  const paths = ordered
    .map((s) => {
      let d = '';
      let pen = false;
      for (const p of s.points) {
        if (p.y === null) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
        pen = true;
      }
      const dots = s.points
        .filter((p) => p.y !== null)
        .map((p) => `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y!).toFixed(1)}" r="2.5"/>`)
        .join('');
      const cls = highlight.has(s.uid) ? 'series best' : 'series';
      return (
        `<g class="${cls}-group" color="${uidColour(s.uid)}" fill="currentColor">` +
        `<path class="${cls}" data-uid="${s.uid}" d="${d}" stroke="currentColor" fill="none"/>${dots}</g>`
      );
    })
    .join('');
  return (
    `<svg viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${escapeHtml(input.title)}">` +
    `${axes(frame, lo, hi, y, xLabels)}${paths}</svg>`
  );
}

/** Grouped bars: for each batch, one bar per uid side by side (`<g class="bars" data-uid>`). */
export function batchBarsSvg(
  input: { groups: readonly { uid: number; losses: readonly (number | null)[] }[]; title: string },
  frame: ChartFrame = { width: 600, height: 220 },
): string {
  const { groups } = input;
  const batches = Math.max(0, ...groups.map((g) => g.losses.length));
  const values = groups.flatMap((g) => g.losses.flatMap((v) => (v === null ? [] : [v])));
  const [lo0, hi] = yRange(values);
  const lo = Math.min(lo0, Math.min(...values, hi) * 0.9);
  const innerW = frame.width - PAD.left - PAD.right;
  const innerH = frame.height - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + innerH - ((v - lo) / (hi - lo)) * innerH;
  const slot = batches === 0 ? innerW : innerW / batches;
  const bar = (slot * 0.8) / Math.max(1, groups.length);
  const xLabels = Array.from({ length: batches }, (_, b) =>
    b % Math.max(1, Math.ceil(batches / 10)) === 0
      ? `<text class="tick" x="${(PAD.left + slot * (b + 0.5)).toFixed(1)}" y="${frame.height - 8}" text-anchor="middle">${b + 1}</text>`
      : '',
  ).join('');
  const bars = groups
    .map((g, i) => {
      const rects = g.losses
        .map((v, b) => {
          if (v === null) return '';
          const left = PAD.left + slot * b + slot * 0.1 + bar * i;
          return `<rect x="${left.toFixed(1)}" y="${y(v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(PAD.top + innerH - y(v)).toFixed(1)}"/>`;
        })
        .join('');
      return `<g class="bars" data-uid="${g.uid}" fill="${uidColour(g.uid)}">${rects}</g>`;
    })
    .join('');
  return (
    `<svg viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${escapeHtml(input.title)}">` +
    `${axes(frame, lo, hi, y, xLabels)}${bars}</svg>`
  );
}
