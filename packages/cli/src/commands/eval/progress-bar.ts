import type { OutputStream } from '../../cli-io.js';

/**
 * A one-line progress bar redrawn in place with `\r`, shown only on a TTY (so pipes and
 * logs get no control characters).
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private drawn = false;

  constructor(
    private readonly out: OutputStream,
    private readonly total: number,
    private readonly width = 30,
  ) {
    this.enabled = (out as { isTTY?: boolean }).isTTY === true && total > 0;
  }

  /** Redraw with `done` of `total` steps and a label. */
  update(done: number, label: string): void {
    if (!this.enabled) return;
    const filled = Math.round((Math.min(done, this.total) / this.total) * this.width);
    this.out.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${this.total} ${label}\x1b[K`,
    );
    this.drawn = true;
  }

  /** Erase the bar. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
