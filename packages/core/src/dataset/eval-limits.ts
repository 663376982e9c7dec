/**
 * Limits on local evaluation inputs (`pretrain eval`, local datasets): far above what a
 * validator step holds, so that only a mistake or a hostile file meets them, and low
 * enough that meeting one is a clear error instead of a process killed for memory.
 */

/** Most pages one evaluation samples; a validator step samples 18 (docs/SUBNET.md §5). */
export const MAX_EVAL_PAGES = 1000;

/**
 * Most tokens one evaluation holds: 2²⁴ ≈ 16.8 M. A validator step holds at most 18 pages ×
 * 100 rows × (8192 + EOS) ≈ 14.7 M tokens with Xenova/gpt-4's truncation, ≈ 1.8 M with
 * distilgpt2's.
 */
export const MAX_EVAL_TOKENS = 2 ** 24;

/** Most bytes of text a local dataset reads (all its files together): 256 MiB. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;
