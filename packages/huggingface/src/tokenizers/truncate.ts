/**
 * Cut ids as HF `tokenizer(text, truncation=True)` does for one sequence: keep the first
 * `maxLength` (truncation side right). `special` is how many ids the post-processor
 * added around the text (BOS/EOS templates); they stay, and the text gives way.
 */
export function truncateIds(ids: readonly number[], maxLength: number, special = 0, leading = 0): number[] {
  if (ids.length <= maxLength) return [...ids];
  const keepText = Math.max(0, maxLength - special);
  const head = ids.slice(0, leading);
  const textIds = ids.slice(leading, ids.length - (special - leading));
  const tail = ids.slice(ids.length - (special - leading));
  return [...head, ...textIds.slice(0, keepText), ...tail];
}
