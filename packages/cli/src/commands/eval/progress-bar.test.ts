import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function stream(isTTY: boolean) {
  const out = { isTTY, text: '', write: (chunk: string) => (out.text += chunk) };
  return out;
}

describe('ProgressBar', () => {
  it('redraws in place on a TTY and erases itself', () => {
    const out = stream(true);
    const bar = new ProgressBar(out, 4, 8);
    bar.update(1, 'model-a');
    bar.update(4, 'model-b');
    bar.clear();
    expect(out.text).toBe('\r[##......] 1/4 model-a\x1b[K\r[########] 4/4 model-b\x1b[K\r\x1b[K');
  });

  it('writes nothing when not a TTY', () => {
    const out = stream(false);
    const bar = new ProgressBar(out, 4);
    bar.update(2, 'x');
    bar.clear();
    expect(out.text).toBe('');
  });
});
