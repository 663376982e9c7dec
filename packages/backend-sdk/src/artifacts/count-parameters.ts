import type { TensorView } from './model-spec.js';

/**
 * Number of parameters in `views`, each distinct tensor once (a tied head shares the
 * embedding's view, so it is not counted twice), as PyTorch's `model.parameters()` does.
 */
export function countParameters(views: Iterable<TensorView>): number {
  const seen = new Set<string>();
  let total = 0;
  for (const view of views) {
    const key = `${view.file}\0${view.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total += view.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}
