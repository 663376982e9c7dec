import type { AdamWSettings } from '@pretrain/backend-sdk';

const f32 = Math.fround;

/**
 * One `torch.optim.AdamW` update (torch 1.13's `_single_tensor_adamw`, amsgrad off) of the
 * parameter `p` with gradient `g` at 1-based `step`, in place on host arrays (`p`, and the
 * moments `m`, `v`), in float32 with each operation rounded as torch's kernels round it:
 * `p·(1 − lr·wd)`; `m·β₁ + g·(1 − β₁)` (the `+ g·(1 − β₁)` one fused multiply-add, as
 * torch's `add_(…, alpha)` kernel computes it); `v·β₂ + (g·(1 − β₂))·g` (the last
 * product and the sum one fused multiply-add, as `addcmul_`);
 * `p + (−lr/(1 − β₁ˢ)·m) / (√v / √(1 − β₂ˢ) + ε)`. The scalars are formed in float64 as
 * Python forms them, then rounded to float32 as the kernels use them. Each float32
 * operation is its float64 result rounded to float32 (`Math.fround`, or a Float32Array
 * store), which is exact for +, −, ×, ÷ and √ of float32 operands. `clip` (the
 * gradient-norm coefficient, 1 for none) multiplies `g` first, as `g·c` in float32.
 * `adamw.test.ts` holds this to torch bit for bit.
 */
export function adamwUpdate(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: number,
  lr: number,
  settings: AdamWSettings,
  clip = 1,
): void {
  const [beta1, beta2] = settings.betas;
  const decay = f32(1 - lr * settings.weightDecay);
  const b1 = f32(beta1);
  const oneMinusB1 = f32(1 - beta1);
  const b2 = f32(beta2);
  const oneMinusB2 = f32(1 - beta2);
  const negStepSize = f32(-(lr / (1 - beta1 ** step)));
  const bias2Sqrt = f32(Math.sqrt(1 - beta2 ** step));
  const eps = f32(settings.eps);
  const c = f32(clip);
  for (let i = 0; i < p.length; i += 1) {
    const grad = clip === 1 ? (g[i] as number) : f32((g[i] as number) * c);
    const decayed = f32((p[i] as number) * decay);
    // add_(grad, alpha) is a fused multiply-add in torch's CPU kernel: grad·(1 − β₁) is
    // exact in float64 (two 24-bit significands), so one rounding of the sum, as an FMA.
    const mi = f32(f32((m[i] as number) * b1) + grad * oneMinusB1);
    // addcmul_ likewise: (g·(1 − β₂)) rounded, then its product with g fused into the add.
    const vi = f32(f32((v[i] as number) * b2) + f32(grad * oneMinusB2) * grad);
    const denom = f32(f32(f32(Math.sqrt(vi)) / bias2Sqrt) + eps);
    m[i] = mi;
    v[i] = vi;
    p[i] = decayed + f32(f32(mi * negStepSize) / denom);
  }
}
