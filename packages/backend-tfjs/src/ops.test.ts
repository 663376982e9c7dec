import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '@pretrain/backend-sdk';
import { activate } from './ops.js';

const X = [-8, -5, -3, -1.5, -0.5, -0.01, 0, 0.3, 1, 2.5, 6];
// Golden values from Python's math module, printed with 9 significant digits:
// /usr/bin/python3 -c "import math; xs=[-8.0,-5.0,-3.0,-1.5,-0.5,-0.01,0.0,0.3,1.0,2.5,6.0];
//   print([0.5*x*(1+math.erf(x/math.sqrt(2))) for x in xs])"   (and the tanh / silu formulas)
const GOLDEN: Record<ModelSpec['activation'], number[]> = {
  gelu: [
    -4.88498131e-15, -1.43325786e-6, -0.00404969409, -0.100210802, -0.154268769, -0.00496010644, 0,
    0.185373427, 0.841344746, 2.48447584, 5.99999999,
  ],
  gelu_tanh: [
    -0, -2.2917962e-7, -0.00363739208, -0.100428423, -0.15428599, -0.00496010644, 0, 0.185370924, 0.841191991,
    2.48491573, 6,
  ],
  silu: [
    -0.00268280104, -0.0334642546, -0.14227762, -0.273638286, -0.188770334, -0.00497500021, 0, 0.172332755,
    0.731058579, 2.31035455, 5.98516426,
  ],
};

describe('activate', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  // Within 2 float32 ulps of values near 1 (absolute): tfjs-wasm's erf is off by at most
  // 5.5e-8 on [-6, 6], far below what a 1e-5 relative loss tolerance notices.
  it.each(Object.keys(GOLDEN) as ModelSpec['activation'][])(
    '%s matches the Python reference',
    async (kind) => {
      const y = tf.tidy(() => activate(tf.tensor2d(X, [1, X.length]), kind));
      const got = Array.from(await y.data());
      y.dispose();
      got.forEach((value, i) => expect(Math.abs(value - (GOLDEN[kind][i] as number))).toBeLessThan(2.5e-7));
    },
  );
});
