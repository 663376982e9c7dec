/**
 * ALiBi as Falcon-RW computes it in transformers 4.41 (`build_alibi_tensor`): fp32 slopes
 * rounded to bf16, and each slope × key position product computed in bf16.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** `x` rounded to the nearest bfloat16 (ties to even), as a number. NaN stays NaN. */
export function bf16Round(x: number): number {
  f32[0] = x;
  const bits = u32[0] as number;
  if (Number.isNaN(f32[0])) return Number.NaN;
  u32[0] = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16;
  return f32[0];
}

/**
 * The per-head slopes of ALiBi for `heads` heads, rounded to bf16: the geometric series
 * `2^(−8/n)^k` for the largest power of two `n ≤ heads`, then every other term of the
 * series for `2n` for the remaining heads (fp32 powers, as torch computes them).
 */
export function alibiSlopes(heads: number): number[] {
  const f = Math.fround;
  const closest = 2 ** Math.floor(Math.log2(heads));
  const base = f(2 ** -(2 ** -(Math.log2(closest) - 3)));
  const slopes = Array.from({ length: closest }, (_, i) => f(Math.pow(base, i + 1)));
  if (closest !== heads) {
    const extra = f(2 ** -(2 ** -(Math.log2(2 * closest) - 3)));
    const remaining = Math.min(closest, heads - closest);
    for (let i = 0; i < remaining; i++) slopes.push(f(Math.pow(extra, 2 * i + 1)));
  }
  return slopes.map(bf16Round);
}

/** The score bias of a head with (bf16) `slope` for the key at `position`: bf16(slope × bf16(position)). */
export function alibiBias(slope: number, position: number): number {
  return bf16Round(slope * bf16Round(position));
}

/**
 * The bias table `[heads, positions]` (row h, column j = {@link alibiBias} of head h at
 * key position j), for backends that add it to the scores from a precomputed tensor.
 */
export function alibiTable(slopes: readonly number[], positions: number): Float32Array {
  const table = new Float32Array(slopes.length * positions);
  slopes.forEach((slope, h) => {
    for (let j = 0; j < positions; j++) table[h * positions + j] = alibiBias(slope, j);
  });
  return table;
}
