import { checkClose } from './assertions.js';
import type { ConformanceCase } from './conformance-case.js';
import { TOKEN_TRIGGERS } from '../fixtures/logit-offset.js';

/** The token-gated offset fixture (see `fixtures/logit-offset.ts`). */
const FIXTURE = 'llama-logit-offset-token-f32';

/**
 * Per offset size, on its own: rows whose every token switches on a saturating offset of
 * 2^k, so every logit of every predicting position is exactly the same float32 number
 * (the rest of the hidden state normalises to ~1e-9, far below the offset's grid).
 * Uniform logits have loss ln(vocab) — exactly, in any correct implementation — while a
 * head that forms `logsumexp − target` from absolute float32 values reports ln(vocab)
 * rounded to the offset's grid: 6.25 at 2^20, 0 at 2^30. The golden cases check the same
 * fixture against the PyTorch reference on mixed positions.
 */
export const logitOffsetCases: readonly ConformanceCase[] = [
  {
    id: 'logit-offset-uniform',
    title: 'logits all offset by 2^10, 2^20 or 2^30: the loss is still ln(vocab), not 0',
    async run(context) {
      await context.requireSupport(FIXTURE);
      const model = await context.model(FIXTURE);
      const vocab = model.spec.vocabSize;
      for (const trigger of TOKEN_TRIGGERS.filter((t) => t.amplitude >= 2 ** 30)) {
        // 12 distinct tokens t ≡ residue (mod 8), all below the vocabulary.
        const row = Array.from({ length: 12 }, (_, i) => trigger.residue + 8 * ((i * 5 + 3) % 64));
        const losses = await model.losses([[row], [row.slice(0, 2)]]);
        checkClose(
          losses,
          [Math.log(vocab), Math.log(vocab)],
          context.tolerance,
          `${FIXTURE} losses with every logit offset by 2^${trigger.exponent}`,
        );
      }
    },
  },
];
