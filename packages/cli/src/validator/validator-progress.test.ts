import { describe, expect, it } from 'vitest';
import { combineObservers } from './combine-observers.js';
import { progressObserver } from './validator-progress.js';

describe('validator progress line', () => {
  it('redraws models, batches and tokens/s in place on a TTY and clears at the end of the step', () => {
    let text = '';
    const tty = { isTTY: true, write: (s: string) => (text += s) };
    const seen: number[] = [];
    const observer = combineObservers(progressObserver(tty), { onModelStart: ({ uid }) => seen.push(uid) });
    observer.onStepStart?.({ step: 2, block: 10, uids: [3, 8], batchCount: 4 });
    observer.onModelStart?.({ uid: 8, hotkey: '5B' });
    observer.onModelProgress?.({ uid: 8, batchesDone: 1, batchCount: 4, tokens: 1024 });
    observer.onStepDone?.({ step: 2 } as never);
    expect(seen).toEqual([8]);
    expect(text).toContain('\rstep 2 · model 2/2 (uid 8) · loading\x1b[K');
    const ESC = String.fromCharCode(27);
    expect(text).toMatch(
      new RegExp(`\\rstep 2 · model 2/2 \\(uid 8\\) · batch 1/4 · \\d+ tokens/s${ESC}\\[K`),
    );
    expect(text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing to a pipe', () => {
    let text = '';
    const observer = progressObserver({ write: (s: string) => (text += s) });
    observer.onModelStart?.({ uid: 1, hotkey: '5A' });
    expect(observer).toEqual({});
    expect(text).toBe('');
  });
});
