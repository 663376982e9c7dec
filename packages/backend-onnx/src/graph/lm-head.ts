import { DTYPE_SIZES, type ModelSpec, type TensorView } from '@pretrain/backend-sdk';
import type { GraphBuilder } from './graph-builder.js';

/** Vocabulary rows of the output projection per chunk: ~16 MB of logits per 1024 positions. */
export const LOGITS_CHUNK = 4096;

/**
 * Per-row loss `[B]` from the final hidden states `[B, T, d]`: the mean over t = 0 … T−2
 * of `−log softmax(logits_t)[ids_{t+1}]`, in PyTorch's max-shifted frame
 * `log Σ exp(x − m) − (x_target − m)` with `m = max(x)`.
 *
 * The frame matters: a model may add one huge common offset (say 2³⁰) to every logit
 * of a position. Mathematically that changes nothing, but `logsumexp(x) − x_target`
 * formed from absolute values rounds the log-sum-exp to the offset's float32 grid and
 * the loss collapses towards 0 — a miner could win with it. Only differences to the
 * row maximum (exact in float32 near it) are ever combined here.
 *
 * The head runs in vocabulary chunks that are row ranges of the stored `[vocab, d]`
 * weight (separate external-data views, so still no copy). Only one `[positions, chunk]`
 * logits slice is alive at a time instead of the whole `[T, vocab]` matrix (205 MB for
 * GPT-2 at T = 1024). Each chunk yields its maximum `m_c`, `s_c = log Σ exp(x − m_c)`
 * and the target logit if it holds it; chunks are combined relative to the largest `m_c`.
 */
export function rowLosses(
  g: GraphBuilder,
  spec: ModelSpec,
  hidden: string,
  ids: string,
  batchShape: string,
): string {
  const d = spec.hiddenSize;
  const axis1 = g.i64([1]);
  const predicting = g.op('Reshape', [
    g.op('Slice', [hidden, g.i64([0]), g.i64([-1]), axis1]),
    g.i64([-1, d]),
  ]);
  const targets = g.op('Reshape', [g.op('Slice', [ids, g.i64([1]), g.i64([BIG]), axis1]), g.i64([-1, 1])]);
  // Each chunk yields [m_c, −s_c, target logit or 0] so every use of its logits sits in
  // one subtree: onnxruntime then finishes a chunk (and frees its logits) before the next.
  const max = (t: string) => g.op('ReduceMax', [t], { axes: [1], keepdims: 1 });
  const triples = vocabChunks(spec.vocabSize).map(([start, end]) => {
    const logits = headChunk(g, spec, predicting, start, end);
    // LogSoftmax (one vectorised MLAS kernel; ReduceLogSumExp took 6.6% of a GPT-2
    // forward pass) computes (x − m) − s, so its maximum is exactly −s.
    const negShiftedLse = max(g.op('LogSoftmax', [logits], { axis: 1 }));
    const { local, inside } = localIndex(g, targets, start, end);
    const picked = g.op('Where', [
      inside,
      g.op('GatherElements', [logits, local], { axis: 1 }),
      g.f32([0], []),
    ]);
    return g.op('Concat', [max(logits), negShiftedLse, picked], { axis: 1 });
  });
  const all = triples.length === 1 ? (triples[0] as string) : g.op('Concat', triples, { axis: 1 }); // [M, 3·chunks]
  const column = (first: number) => g.op('Slice', [all, g.i64([first]), g.i64([BIG]), axis1, g.i64([3])]);
  const top = max(column(0)); // the row maximum m over all chunks
  // x_target − m: both are float32 logits of the same row, so the difference is exact
  // wherever the loss is small enough to matter.
  const target = g.op('Sub', [g.op('ReduceSum', [column(2), axis1], { keepdims: 1 }), top]);
  // log Σ_c exp(m_c − m + s_c); with one chunk simply s.
  const shiftedLse =
    triples.length === 1
      ? g.op('Neg', [column(1)])
      : g.op('ReduceLogSumExp', [g.op('Sub', [g.op('Sub', [column(0), top]), column(1)])], {
          axes: [1],
          keepdims: 1,
        });
  const rowsShape = g.op('Concat', [g.op('Slice', [batchShape, g.i64([0]), g.i64([1])]), g.i64([-1])], {
    axis: 0,
  });
  const nll = g.op('Reshape', [g.op('Sub', [shiftedLse, target]), rowsShape]); // [B, T-1]
  return g.op('ReduceMean', [nll], { axes: [1], keepdims: 0 });
}

/** Logits `[B, vocab]` of the last position of the final hidden states `[B, T, d]`. */
export function lastLogits(g: GraphBuilder, spec: ModelSpec, hidden: string): string {
  const last = g.op('Reshape', [
    g.op('Slice', [hidden, g.i64([-1]), g.i64([BIG]), g.i64([1])]),
    g.i64([-1, spec.hiddenSize]),
  ]);
  const parts = vocabChunks(spec.vocabSize).map(([start, end]) => headChunk(g, spec, last, start, end));
  return parts.length === 1 ? (parts[0] as string) : g.op('Concat', parts, { axis: 1 });
}

/** Logits `[N, end − start]` of vocabulary rows `start … end−1` (plus the head's bias, if any). */
function headChunk(g: GraphBuilder, spec: ModelSpec, x: string, start: number, end: number): string {
  const inputs = [x, g.weight(rowRange(spec.lmHead, start, end))];
  if (spec.lmHeadBias !== undefined) inputs.push(g.weight(rowRange(spec.lmHeadBias, start, end)));
  return g.op('Gemm', inputs, { transB: 1 });
}

/** An index past any sequence end, for open-ended Slice. */
const BIG = Number.MAX_SAFE_INTEGER;

/** `[start, end)` vocabulary ranges of {@link LOGITS_CHUNK} rows. */
export function vocabChunks(vocab: number): [number, number][] {
  const chunks: [number, number][] = [];
  for (let start = 0; start < vocab; start += LOGITS_CHUNK)
    chunks.push([start, Math.min(vocab, start + LOGITS_CHUNK)]);
  return chunks;
}

/**
 * Token embeddings `[B, T, d]`. A head tied to the embedding is read through the same
 * row-chunk views as the head: one mapping of those bytes instead of two (resident
 * memory counts every mapping of a page).
 */
export function embed(g: GraphBuilder, spec: ModelSpec, ids: string): string {
  if (!spec.tiedEmbeddings) return g.op('Gather', [g.weight(spec.embedding), ids], { axis: 0 });
  // A chain of Where keeps one partial result alive at a time.
  let embedded = g.f32([0], []);
  for (const [start, end] of vocabChunks(spec.vocabSize)) {
    const { local, inside } = localIndex(g, ids, start, end);
    const rows = g.op('Gather', [g.weight(rowRange(spec.embedding, start, end)), local], { axis: 0 });
    embedded = g.op('Where', [g.op('Unsqueeze', [inside, g.i64([-1])]), rows, embedded]);
  }
  return embedded;
}

/** Ids relative to the chunk `[start, end)`, clipped into it, and whether each id lies in it. */
function localIndex(
  g: GraphBuilder,
  ids: string,
  start: number,
  end: number,
): { local: string; inside: string } {
  const first = g.i64([start], []);
  const local = g.op('Clip', [g.op('Sub', [ids, first]), g.i64([0], []), g.i64([end - start - 1], [])]);
  const inside = g.op('And', [g.op('GreaterOrEqual', [ids, first]), g.op('Less', [ids, g.i64([end], [])])]);
  return { local, inside };
}

/** Rows `start … end−1` of a row-major 2-D weight (elements of a 1-D one), as its own view into the same file. */
export function rowRange(view: TensorView, start: number, end: number): TensorView {
  const [rows, cols = 1] = view.shape as [number, number?];
  if (start === 0 && end === rows) return view;
  const rowBytes = cols * DTYPE_SIZES[view.dtype];
  return {
    ...view,
    name: `${view.name}[${start}:${end}]`,
    shape: view.shape.length === 1 ? [end - start] : [end - start, cols],
    offset: view.offset + start * rowBytes,
    length: (end - start) * rowBytes,
  };
}
