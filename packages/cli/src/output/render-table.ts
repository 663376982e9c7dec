import { escapeControl } from './escape-control.js';

/** How one column of {@link renderTable} is laid out. */
export interface TableColumn {
  /** Header text. */
  readonly header: string;
  /** `right` for numbers so that digits line up; `left` by default. */
  readonly align?: 'left' | 'right';
}

/**
 * Render rows as an aligned plain-text table: a header line, then one line per row,
 * columns separated by two spaces, no trailing blanks. Cells are already formatted text;
 * control characters in them (a commitment or tensor name from outside) are shown
 * escaped ({@link escapeControl}), so a cell can neither break the layout nor drive the terminal.
 */
export function renderTable(
  columns: readonly TableColumn[],
  unsafeRows: readonly (readonly string[])[],
): string {
  const rows = unsafeRows.map((row) => row.map((cell) => escapeControl(cell)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}
