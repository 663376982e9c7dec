import type { ValidatorObserver } from '@pretrain/core';
import type { OutputStream } from '../cli-io.js';

/**
 * A live status line on a TTY (model i of n, batch j of m, tokens/s), redrawn in place;
 * silent on pipes and files, so logs get no control characters.
 */
export function progressObserver(out: OutputStream): ValidatorObserver {
  if ((out as { isTTY?: boolean }).isTTY !== true) return {};
  let step = 0;
  let models: readonly number[] = [];
  let uid = -1;
  let started = 0;
  const draw = (text: string) => out.write(`\r${text}\x1b[K`);
  return {
    onStepStart: (info) => {
      step = info.step;
      models = info.uids;
    },
    onModelStart: (info) => {
      uid = info.uid;
      started = performance.now();
      draw(`step ${step} · model ${models.indexOf(uid) + 1}/${models.length} (uid ${uid}) · loading`);
    },
    onModelProgress: (info) => {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(info.tokens / seconds) : 0;
      draw(
        `step ${step} · model ${models.indexOf(info.uid) + 1}/${models.length} (uid ${info.uid}) · ` +
          `batch ${info.batchesDone}/${info.batchCount} · ${rate} tokens/s`,
      );
    },
    onStepDone: () => out.write('\r\x1b[K'),
  };
}
