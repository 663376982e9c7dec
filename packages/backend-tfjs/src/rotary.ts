import * as tf from '@tensorflow/tfjs-core';

/** cos and sin of the rotary angles for `length` positions from `start`, each `[length, 1, dims/2]`. */
export interface RotaryTables {
  readonly cos: tf.Tensor3D;
  readonly sin: tf.Tensor3D;
}

/**
 * The rotary tables, rounded to float32 step by step as HF transformers computes them
 * (`inv_freq = 1 / θ^(2i/dims)`, `angle = position · inv_freq`), so that positions far
 * from 0 get the reference's angles, not more exact ones.
 */
export function rotaryTables(start: number, length: number, dims: number, theta: number): RotaryTables {
  const half = dims / 2;
  const f = Math.fround;
  const cos = new Float32Array(length * half);
  const sin = new Float32Array(length * half);
  for (let i = 0; i < half; i += 1) {
    const inverse = f(1 / f(theta ** f(f(2 * i) / dims)));
    for (let t = 0; t < length; t += 1) {
      const angle = f((start + t) * inverse);
      cos[t * half + i] = Math.cos(angle);
      sin[t * half + i] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor3d(cos, [length, 1, half]), sin: tf.tensor3d(sin, [length, 1, half]) };
}

/**
 * Rotate the leading `dims` of each head of `x` (`[T, heads·headDim]`):
 * `x·cos + rotate(x)·sin`, pairing dim i with i + dims/2 (rotate-half) or, when
 * `interleaved`, 2i with 2i+1 (GPT-J); the rest passes through.
 */
export function applyRotary(
  x: tf.Tensor2D,
  heads: number,
  headDim: number,
  dims: number,
  tables: RotaryTables,
  interleaved = false,
): tf.Tensor2D {
  return tf.tidy(() => {
    const T = x.shape[0];
    const half = dims / 2;
    const h = tf.reshape(x, [T, heads, headDim]);
    if (interleaved) {
      const pairs = tf.reshape(tf.slice(h, [0, 0, 0], [T, heads, dims]), [T, heads, half, 2]);
      const even = tf.squeeze(tf.slice(pairs, [0, 0, 0, 0], [T, heads, half, 1]), [3]);
      const odd = tf.squeeze(tf.slice(pairs, [0, 0, 0, 1], [T, heads, half, 1]), [3]);
      const outEven = tf.sub(tf.mul(even, tables.cos), tf.mul(odd, tables.sin));
      const outOdd = tf.add(tf.mul(odd, tables.cos), tf.mul(even, tables.sin));
      const rotated = tf.reshape(tf.stack([outEven, outOdd], 3), [T, heads, dims]);
      const all =
        dims < headDim
          ? tf.concat([rotated, tf.slice(h, [0, 0, dims], [T, heads, headDim - dims])], 2)
          : rotated;
      return tf.reshape(all, [T, heads * headDim]);
    }
    const x1 = tf.slice(h, [0, 0, 0], [T, heads, half]);
    const x2 = tf.slice(h, [0, 0, half], [T, heads, half]);
    const out1 = tf.sub(tf.mul(x1, tables.cos), tf.mul(x2, tables.sin));
    const out2 = tf.add(tf.mul(x2, tables.cos), tf.mul(x1, tables.sin));
    const parts = [out1, out2];
    if (dims < headDim) parts.push(tf.slice(h, [0, 0, dims], [T, heads, headDim - dims]));
    return tf.reshape(tf.concat(parts, 2), [T, heads * headDim]);
  });
}
