import { alibiTable, type LayerSpec, type ModelSpec } from '@pretrain/backend-sdk';
import type { GraphBuilder } from './graph-builder.js';
import { linear } from './layers.js';

/** Per-input tensors shared by every layer: shapes, the causal mask and rotary tables. */
export interface SequenceContext {
  /** `int64 [2]`: B and T of the input. */
  readonly batchShape: string;
  /** `int64 [5]` shapes `[B, T, KV, H/KV, hd]` and `[B, T, KV, 1, hd]` for queries and keys/values. */
  readonly queryShape: string;
  readonly kvShape: string;
  /** `int64 [T]`: positions of the input tokens, `P … P+T−1` after `P` cached ones. */
  readonly positions: string;
  /** `[T, P+T]` additive mask: 0 where a query may see a key, −∞ for later keys. */
  readonly mask: string;
  /** `[T, 1, 1, dims]` cos and sin tables when positions are rotary. */
  readonly rotary?: {
    readonly cos: string;
    readonly sin: string;
    readonly dims: number;
    readonly pairing: 'half' | 'interleaved';
  };
  /** `[KV, H/KV, 1, P+T]` ALiBi score biases (already × 1/√hd) when positions are alibi. */
  readonly alibi?: string;
  /** How attention is tiled over heads and query rows. */
  readonly layout: AttentionLayout;
  /**
   * Query rows in causal blocks (loss graph only): block j attends to keys `0 … end−1`
   * only, skipping the masked keys after its last row.
   */
  readonly queryBlocks?: readonly QueryBlock[];
}

/** Rows `start … end−1` of the queries (`int64 [1]` bounds) and their `[end − start, end]` mask. */
export interface QueryBlock {
  readonly start: string;
  readonly end: string;
  readonly mask: string;
}

/**
 * Tiling of causal attention; any choice computes the same result (up to float rounding).
 * Head groups bound the size of the scores alive at once; query blocks skip work on keys
 * that are masked for every row of a block (with n blocks, (n−1)/2n of the T × T scores).
 */
export interface AttentionLayout {
  /** Most query heads whose scores are computed at once (at least one kv head's worth). */
  readonly headsPerGroup: number;
  /** Equal blocks of query rows (the last takes the remainder); 1 is the plain T × T product. */
  readonly queryBlocks: number;
}

/** The loss graph's tiling (measured in docs/BENCHMARKS.md). */
export const LOSS_ATTENTION: AttentionLayout = { headsPerGroup: 12, queryBlocks: 8 };

/** The KV-cache graph's: one new token per step, nothing to skip. */
export const DECODE_ATTENTION: AttentionLayout = { headsPerGroup: 2, queryBlocks: 1 };

/** Keys and values of one layer as `[B, P, KV·hd]` (rope applied to keys), for a KV cache. */
export interface KvCache {
  readonly keys: string;
  readonly values: string;
}

/**
 * Causal self-attention with grouped kv heads, without copying K/V per query head:
 * queries are shaped `[B, KV, rep, T, hd]` and keys/values `[B, KV, 1, …]`, so one
 * broadcasting MatMul serves all `rep = H / KV` query heads of a kv head.
 * `x` is `[B·T, d]`; so is `output`. With `past`, the keys and values of this input are
 * attended after the cached ones. `current` holds this input's keys and values only, in
 * the cache layout, so a caller can append them to its cache in place.
 */
export function attention(
  g: GraphBuilder,
  spec: ModelSpec,
  x: string,
  layer: LayerSpec,
  ctx: SequenceContext,
  past?: KvCache,
): { output: string; current: KvCache | undefined } {
  const { numHeads: H, numKvHeads: KV, headDim: hd } = spec;
  const [q, k, v] = projections(g, spec, x, layer);
  let q5 = g.op('Reshape', [q, ctx.queryShape]);
  let k5 = g.op('Reshape', [k, ctx.kvShape]);
  const v5 = g.op('Reshape', [v, ctx.kvShape]);
  if (ctx.rotary !== undefined) {
    q5 = rotate(g, q5, ctx.rotary, hd);
    k5 = rotate(g, k5, ctx.rotary, hd);
  }
  // Only a KV-cache graph reads these; the loss graph gets no dead nodes.
  const current = () => {
    const flat = g.i64([0, 0, KV * hd]);
    return { keys: g.op('Reshape', [k5, flat]), values: g.op('Reshape', [v5, flat]) };
  };
  const [allK, allV] =
    past === undefined
      ? [k5, v5]
      : [past.keys, past.values].map((cached, i) => {
          const cached5 = g.op('Reshape', [cached, g.i64([0, 0, KV, 1, hd])]);
          return g.op('Concat', [cached5, i === 0 ? k5 : v5], { axis: 1 });
        });
  const scaledQ = g.op('Mul', [q5, g.f32([1 / Math.sqrt(hd)], [])]);
  const qT = g.op('Transpose', [scaledQ], { perm: [0, 2, 3, 1, 4] }); // [B, KV, rep, T, hd]
  const kT = g.op('Transpose', [allK as string], { perm: [0, 2, 3, 4, 1] }); // [B, KV, 1, hd, P+T]
  const vT = g.op('Transpose', [allV as string], { perm: [0, 2, 3, 1, 4] }); // [B, KV, 1, P+T, hd]
  // Kv heads in groups: one group's scores are alive at a time (each group's subgraph
  // ends in a Concat, so onnxruntime runs the groups one after another).
  const sizes = headGroups(KV, H / KV, ctx.layout.headsPerGroup);
  const split = (t: string) =>
    sizes.length === 1 ? [t] : g.opMulti('Split', [t, g.i64(sizes)], { axis: 1 }, sizes.length);
  const [qs, ks, vs] = [split(qT), split(kT), split(vT)];
  const biases =
    ctx.alibi === undefined
      ? undefined
      : sizes.length === 1
        ? [ctx.alibi]
        : g.opMulti('Split', [ctx.alibi, g.i64(sizes)], { axis: 0 }, sizes.length);
  const slice = (t: string, start: string, end: string, axis: number) =>
    g.op('Slice', [t, start, end, g.i64([axis])]);
  const parts = qs.map((qg, i) => {
    const [kg, vg, bias] = [ks[i] as string, vs[i] as string, biases?.[i]];
    if (ctx.queryBlocks === undefined) return attend(g, qg, kg, vg, ctx.mask, bias);
    const zero = g.i64([0]);
    // Block j's rows see keys 0 … end_j − 1 only: the keys after it are masked for all of
    // them. The last block sees every key: no sliced copies of K and V for it.
    const last = ctx.queryBlocks.length - 1;
    const keys = (t: string, j: number, end: string, axis: number) =>
      j === last ? t : slice(t, zero, end, axis);
    const pieces = ctx.queryBlocks.map(({ start, end, mask }, j) =>
      attend(
        g,
        slice(qg, start, end, 3),
        keys(kg, j, end, 4),
        keys(vg, j, end, 3),
        mask,
        bias === undefined ? undefined : keys(bias, j, end, 3),
      ),
    );
    return g.op('Concat', pieces, { axis: 3 });
  });
  const context = parts.length === 1 ? (parts[0] as string) : g.op('Concat', parts, { axis: 1 }); // [B, KV, rep, T, hd]
  const merged = g.op('Reshape', [
    g.op('Transpose', [context], { perm: [0, 3, 1, 2, 4] }),
    g.i64([-1, H * hd]),
  ]);
  return {
    output: linear(g, merged, layer.attentionOutput),
    current: past === undefined ? undefined : current(),
  };
}

/** `softmax(q kᵀ + mask (+ bias)) v` on one tile (q pre-scaled, k transposed). */
function attend(g: GraphBuilder, q: string, k: string, v: string, mask: string, bias?: string): string {
  const full = bias === undefined ? mask : g.op('Add', [mask, bias]);
  const scores = g.op('Add', [g.op('MatMul', [q, k]), full]);
  return g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
}

/** Sizes (in kv heads) of the attention groups: about `headsPerGroup` query heads each. */
export function headGroups(kvHeads: number, rep: number, headsPerGroup: number): number[] {
  const perGroup = Math.max(1, Math.floor(headsPerGroup / rep));
  const sizes: number[] = [];
  for (let left = kvHeads; left > 0; left -= perGroup) sizes.push(Math.min(perGroup, left));
  return sizes;
}

/** q `[N, H·hd]`, k and v `[N, KV·hd]` from the stored projection layout. */
function projections(
  g: GraphBuilder,
  spec: ModelSpec,
  x: string,
  layer: LayerSpec,
): [string, string, string] {
  const { numHeads: H, numKvHeads: KV, headDim: hd } = spec;
  const proj = layer.attention;
  if (proj.kind === 'separate') return [linear(g, x, proj.q), linear(g, x, proj.k), linear(g, x, proj.v)];
  const qkv = linear(g, x, proj.qkv);
  if (proj.order === 'blocks') {
    return g.opMulti('Split', [qkv, g.i64([H * hd, KV * hd, KV * hd])], { axis: -1 }, 3) as [
      string,
      string,
      string,
    ];
  }
  if (proj.order === 'per-kv-group') {
    // Falcon's new decoder: per kv head [q … q (H/KV of them) | k | v].
    const rep = H / KV;
    const grouped = g.op('Reshape', [qkv, g.i64([0, KV, rep + 2, hd])]);
    const parts = g.opMulti('Split', [grouped, g.i64([rep, 1, 1])], { axis: 2 }, 3);
    return [H, KV, KV].map((heads, i) => g.op('Reshape', [parts[i] as string, g.i64([0, heads * hd])])) as [
      string,
      string,
      string,
    ];
  }
  // GPT-NeoX: per head [q_h | k_h | v_h]; only defined with KV = H.
  const perHead = g.op('Reshape', [qkv, g.i64([0, H, 3 * hd])]);
  const parts = g.opMulti('Split', [perHead, g.i64([hd, hd, hd])], { axis: -1 }, 3);
  return parts.map((p) => g.op('Reshape', [p, g.i64([0, H * hd])])) as [string, string, string];
}

/**
 * Rotary embedding on the leading `dims` of each head of `x` (`[B, T, KV, n, hd]`):
 * rotate-half pairs dim i with i + dims/2, interleaved pairs 2i with 2i+1.
 */
function rotate(g: GraphBuilder, x: string, rot: NonNullable<SequenceContext['rotary']>, hd: number): string {
  const partial = rot.dims < hd;
  const [head, rest] = partial
    ? g.opMulti('Split', [x, g.i64([rot.dims, hd - rot.dims])], { axis: -1 }, 2)
    : [x];
  let rotated: string;
  if (rot.pairing === 'half') {
    const [a, b] = g.opMulti(
      'Split',
      [head as string, g.i64([rot.dims / 2, rot.dims / 2])],
      { axis: -1 },
      2,
    ) as [string, string];
    rotated = g.op('Concat', [g.op('Neg', [b]), a], { axis: -1 });
  } else {
    // (x0, x1, x2, x3, …) → (−x1, x0, −x3, x2, …): pairs as a trailing axis of 2.
    const pairs = g.op('Reshape', [head as string, g.i64([0, 0, 0, 0, rot.dims / 2, 2])]);
    const [even, odd] = g.opMulti('Split', [pairs, g.i64([1, 1])], { axis: -1 }, 2) as [string, string];
    const swapped = g.op('Concat', [g.op('Neg', [odd]), even], { axis: -1 });
    rotated = g.op('Reshape', [swapped, g.i64([0, 0, 0, 0, rot.dims])]);
  }
  const out = g.op('Add', [g.op('Mul', [head as string, rot.cos]), g.op('Mul', [rotated, rot.sin])]);
  return partial ? g.op('Concat', [out, rest as string], { axis: -1 }) : out;
}

/**
 * Shapes, positions, mask and rotary tables for the input `ids` (`[B, T]`), placed after
 * the `P` tokens of a cache when `pastValues` (`[B, P, KV·hd]`) is given.
 */
export function sequenceContext(
  g: GraphBuilder,
  spec: ModelSpec,
  ids: string,
  layout: AttentionLayout,
  pastValues?: string,
): SequenceContext {
  const { numHeads: H, numKvHeads: KV, headDim: hd } = spec;
  const scalar = (shape: string, axis: number) => g.op('Gather', [shape, g.i64([axis], [])], { axis: 0 });
  const batchShape = g.op('Shape', [ids]);
  const queryShape = g.op('Concat', [batchShape, g.i64([KV, H / KV, hd])], { axis: 0 });
  const kvShape = g.op('Concat', [batchShape, g.i64([KV, 1, hd])], { axis: 0 });
  const length = scalar(batchShape, 1); // T
  const start = pastValues === undefined ? g.i64([0], []) : scalar(g.op('Shape', [pastValues]), 1); // P
  const end = g.op('Add', [start, length]);
  const positions = g.op('Range', [start, end, g.i64([1], [])]);
  const maskShape = g.op(
    'Concat',
    [g.op('Unsqueeze', [length, g.i64([0])]), g.op('Unsqueeze', [end, g.i64([0])])],
    {
      axis: 0,
    },
  );
  const negInf = g.op('Expand', [g.f32([-Infinity], []), maskShape]);
  // Query i (absolute position P+i) sees keys 0 … P+i: −∞ from diagonal offset P+1 up.
  const mask = g.op('Trilu', [negInf, g.op('Add', [start, g.i64([1], [])])], { upper: 1 });
  // Blocks only without a cache: with one, the new rows are few and P shifts the mask.
  const queryBlocks =
    layout.queryBlocks > 1 && pastValues === undefined
      ? causalBlocks(g, length, mask, layout.queryBlocks)
      : undefined;
  const base = { batchShape, queryShape, kvShape, positions, mask, layout, queryBlocks };
  if (spec.positions.kind === 'alibi') {
    // Keys 0 … P+T−1 of a precomputed [H, maxPositions] table, scaled as the queries are.
    const table = g.f32(alibiTable(spec.positions.slopes, spec.maxPositions), [
      KV,
      H / KV,
      1,
      spec.maxPositions,
    ]);
    const keys = g.op('Slice', [table, g.i64([0]), g.op('Unsqueeze', [end, g.i64([0])]), g.i64([3])]);
    return { ...base, alibi: g.op('Mul', [keys, g.f32([1 / Math.sqrt(hd)], [])]) };
  }
  if (spec.positions.kind !== 'rotary') return base;
  const { dims, theta, pairing } = spec.positions;
  const freqs = g.op('Mul', [
    g.op('Unsqueeze', [g.op('Cast', [positions], { to: 1 }), g.i64([1])]),
    g.f32(inverseFrequencies(dims, theta), [1, dims / 2]),
  ]);
  // Half: [f0 … f_{n−1}, f0 … f_{n−1}]; interleaved: [f0, f0, f1, f1, …].
  const doubled =
    pairing === 'half'
      ? g.op('Concat', [freqs, freqs], { axis: 1 })
      : g.op('Reshape', [
          g.op('Concat', [g.op('Unsqueeze', [freqs, g.i64([2])]), g.op('Unsqueeze', [freqs, g.i64([2])])], {
            axis: 2,
          }),
          g.i64([0, dims]),
        ]);
  const angles = g.op('Unsqueeze', [doubled, g.i64([1, 2])]); // [T, 1, 1, dims]
  return { ...base, rotary: { cos: g.op('Cos', [angles]), sin: g.op('Sin', [angles]), dims, pairing } };
}

/** `1 / θ^(2i/dims)`, rounded through float32 at each step as PyTorch computes it. */
export function inverseFrequencies(dims: number, theta: number): Float32Array {
  const f = Math.fround;
  return Float32Array.from({ length: dims / 2 }, (_, i) => f(1 / f(Math.pow(theta, f(f(2 * i) / dims)))));
}

/**
 * `count` blocks of the query rows `⌊T·j/count⌋ … ⌊T·(j+1)/count⌋ − 1` (some empty when
 * T < count) with the rows and leading columns of the `[T, T]` causal mask they need.
 */
function causalBlocks(g: GraphBuilder, length: string, mask: string, count: number): QueryBlock[] {
  const bound = (j: number) =>
    j === 0
      ? g.i64([0])
      : g.op('Unsqueeze', [
          g.op('Div', [g.op('Mul', [length, g.i64([j], [])]), g.i64([count], [])]),
          g.i64([0]),
        ]);
  const bounds = Array.from({ length: count + 1 }, (_, j) => bound(j));
  const [rows, columns] = [g.i64([0]), g.i64([1])];
  return Array.from({ length: count }, (_, j) => {
    const [start, end] = [bounds[j] as string, bounds[j + 1] as string];
    const mine = g.op('Slice', [mask, start, end, rows]);
    return { start, end, mask: g.op('Slice', [mine, bounds[0] as string, end, columns]) };
  });
}
