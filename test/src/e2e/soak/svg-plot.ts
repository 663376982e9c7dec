/** One line of {@link plotSvg}: its values, one per x, drawn on its own panel. */
export interface PlotLine {
  readonly label: string;
  readonly values: readonly number[];
}

const WIDTH = 760;
const PANEL = 120;
const MARGIN = { left: 70, right: 20, top: 28, bottom: 22 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const tick = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3));

/**
 * A small dependency-free SVG: one panel per line, stacked, sharing the x axis
 * (`xs`, e.g. minutes), each with its own y range starting at 0 so growth is not magnified,
 * and a dashed vertical rule at `markX` (the end of warm-up).
 */
export function plotSvg(
  title: string,
  xs: readonly number[],
  xLabel: string,
  lines: readonly PlotLine[],
  markX?: number,
): string {
  const height = MARGIN.top + lines.length * (PANEL + MARGIN.bottom) + 10;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const xMax = Math.max(1e-9, ...xs);
  const x = (v: number) => MARGIN.left + (v / xMax) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
  ];
  lines.forEach((line, index) => {
    const top = MARGIN.top + index * (PANEL + MARGIN.bottom);
    const finite = line.values.filter(Number.isFinite);
    const yMax = Math.max(1e-9, ...finite) * 1.1;
    const y = (v: number) => top + PANEL - (v / yMax) * PANEL;
    const colour = COLOURS[index % COLOURS.length]!;
    out.push(
      `<rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${PANEL}" fill="none" stroke="#999"/>`,
      `<text x="${MARGIN.left + 6}" y="${top + 13}" fill="${colour}">${escapeXml(line.label)}</text>`,
      `<text x="${MARGIN.left - 4}" y="${top + 10}" text-anchor="end">${tick(yMax)}</text>`,
      `<text x="${MARGIN.left - 4}" y="${top + PANEL}" text-anchor="end">0</text>`,
    );
    const points = line.values
      .map((v, i) => (Number.isFinite(v) ? `${x(xs[i]!).toFixed(1)},${y(v).toFixed(1)}` : ''))
      .filter(Boolean)
      .join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points}"/>`);
    if (markX !== undefined)
      out.push(
        `<line x1="${x(markX).toFixed(1)}" y1="${top}" x2="${x(markX).toFixed(1)}" y2="${top + PANEL}" stroke="#666" stroke-dasharray="4 3"/>`,
      );
    out.push(
      `<text x="${MARGIN.left}" y="${top + PANEL + 14}">0</text>`,
      `<text x="${MARGIN.left + plotW}" y="${top + PANEL + 14}" text-anchor="end">${tick(xMax)} ${escapeXml(xLabel)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
