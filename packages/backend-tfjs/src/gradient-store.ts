/**
 * Gradients of one optimizer step, per parameter name, in host memory (outside the wasm
 * heap): a parameter's gradient is created at its first contribution and every further
 * contribution (another stage that reads the parameter, such as a tied head and its
 * embedding, another row, another micro-batch) is added into it in float32, as torch
 * accumulates `.grad`. A parameter that received nothing has no gradient, and AdamW leaves
 * it untouched, as torch does.
 */
export class GradientStore {
  private readonly grads = new Map<string, Float32Array>();

  /** @param sizes the element count of each parameter, by name. */
  constructor(private readonly sizes: ReadonlyMap<string, number>) {}

  /** Add `values` into `name`'s gradient from element `offset` on (float32 adds). */
  add(name: string, values: Float32Array, offset = 0): void {
    const size = this.sizes.get(name);
    if (size === undefined || offset < 0 || offset + values.length > size) {
      throw new RangeError(`gradient of "${name}" at ${offset}+${values.length} is outside the parameter`);
    }
    const grad = this.grads.get(name);
    if (grad === undefined) {
      const fresh = new Float32Array(size);
      fresh.set(values, offset);
      this.grads.set(name, fresh);
      return;
    }
    // A Float32Array store rounds the float64 sum of two float32 values: a float32 add.
    for (let i = 0; i < values.length; i += 1)
      grad[offset + i] = (grad[offset + i] as number) + (values[i] as number);
  }

  /** The gradient of `name`, or undefined when nothing reached it. */
  get(name: string): Float32Array | undefined {
    return this.grads.get(name);
  }

  /** √(Σ g²) over every gradient, summed in float64. */
  norm(): number {
    let sum = 0;
    for (const grad of this.grads.values()) for (const g of grad) sum += g * g;
    return Math.sqrt(sum);
  }
}
