// Bench case `tokenizer`: throughput (MB/s of UTF-8 text, tokens/s) of the tokenizers of
// @pretrain/huggingface on War and Peace, side by side: the bundled distilgpt2 and
// Xenova/gpt-4 (js-tiktoken) and the HF tokenizer.json of gpt2-tiny-random
// (@huggingface/tokenizers). Needs `npm run build`. Run alone: `node scripts/bench/tokenizer.mjs`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

/**
 * Time `encode` on the first `bytes` of the fixture text, best of `runs`, after one
 * warm-up run; returns one row per tokenizer.
 */
export async function benchTokenizers({ bytes = 1_000_000, runs = 3 } = {}) {
  const { loadTokenizer } = await import('@pretrain/huggingface');
  const text = readFileSync(`${FIXTURES}text/war-and-peace.txt`, 'utf8').slice(0, bytes);
  const megabytes = Buffer.byteLength(text, 'utf8') / 1e6;
  const rows = [];
  for (const name of ['distilgpt2', 'Xenova/gpt-4', `${FIXTURES}models/gpt2-tiny-random/tokenizer.json`]) {
    const loadStart = performance.now();
    const tokenizer = await loadTokenizer(name);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const tokens = tokenizer.encode(text).length;
    let best = Infinity;
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      tokenizer.encode(text);
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    rows.push({
      tokenizer: name.startsWith(FIXTURES) ? 'tokenizer.json (gpt2-tiny-random)' : name,
      loadSeconds: Number(loadSeconds.toFixed(3)),
      megabytesPerSecond: Number((megabytes / best).toFixed(3)),
      tokensPerSecond: Math.round(tokens / best),
    });
  }
  return { case: 'tokenizer', megabytes: Number(megabytes.toFixed(3)), runs, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchTokenizers();
  console.table(result.rows);
  console.log(JSON.stringify(result));
}
