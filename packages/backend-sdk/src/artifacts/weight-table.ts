import { CorruptModelError } from '../errors/index.js';
import type { LinearWeights, NormWeights, TensorView } from './model-spec.js';

/**
 * The tensors of one model, taken one by one with their expected shapes, so that an
 * architecture builder states each weight exactly once and nothing goes unchecked.
 */
export class WeightTable {
  private readonly used = new Set<string>();
  private readonly skipped = new Set<string>();

  constructor(
    private readonly tensors: ReadonlyMap<string, TensorView>,
    private readonly dir: string,
    /** A prefix tried before each name (GPT-2's optional `transformer.`). */
    private readonly optionalPrefix = '',
  ) {}

  /** The tensor `name` with exactly `shape`. */
  take(name: string, shape: readonly number[]): TensorView {
    const view = this.find(name);
    if (!view) {
      throw new CorruptModelError(`model "${this.dir}" lacks weight "${name}" ${JSON.stringify(shape)}`, {
        hint: 'the weights do not match config.json',
      });
    }
    return this.check(view, shape);
  }

  /** The tensor `name` with `shape`, or undefined when the model has none. */
  maybe(name: string, shape: readonly number[]): TensorView | undefined {
    const view = this.find(name);
    return view ? this.check(view, shape) : undefined;
  }

  /** True when the model has a tensor `name` (with or without the optional prefix). */
  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  /** Accept `name`, when present, as a stored copy that is not a parameter (a tied head). */
  skip(name: string): void {
    const view = this.lookup(name);
    if (view) this.skipped.add(view.name);
  }

  /** Every distinct tensor taken so far (what the model's parameters are). */
  taken(): TensorView[] {
    return [...this.used].map((name) => this.tensors.get(name) as TensorView);
  }

  /** A norm: weight `[size]` and, for LayerNorm, bias `[size]`. */
  norm(prefix: string, size: number, withBias: boolean): NormWeights {
    const weight = this.take(`${prefix}.weight`, [size]);
    return { weight, bias: withBias ? this.take(`${prefix}.bias`, [size]) : undefined };
  }

  /** An `nn.Linear` (`[out, in]`) or, with `inputMajor`, a GPT-2 `Conv1D` (`[in, out]`). */
  linear(
    prefix: string,
    inputs: number,
    outputs: number,
    withBias: boolean,
    inputMajor = false,
  ): LinearWeights {
    const weight = this.take(`${prefix}.weight`, inputMajor ? [inputs, outputs] : [outputs, inputs]);
    const bias = withBias ? this.take(`${prefix}.bias`, [outputs]) : undefined;
    return { weight, bias, inputMajor };
  }

  /**
   * Fail on tensors no builder took, except names matching `ignore` (non-parameter
   * buffers such as causal masks); unexpected weights mean the config is misread.
   */
  assertAllUsed(ignore: readonly RegExp[]): void {
    for (const name of this.tensors.keys()) {
      if (this.used.has(name) || this.skipped.has(name) || ignore.some((re) => re.test(name))) continue;
      throw new CorruptModelError(
        `model "${this.dir}" has weight "${name}" that its config.json does not account for`,
        {
          hint: 'check config.json (architectures, biases, tie_word_embeddings) against the weights',
        },
      );
    }
  }

  private lookup(name: string): TensorView | undefined {
    return this.tensors.get(this.optionalPrefix + name) ?? this.tensors.get(name);
  }

  private find(name: string): TensorView | undefined {
    const view = this.lookup(name);
    if (view) this.used.add(view.name);
    return view;
  }

  private check(view: TensorView, shape: readonly number[]): TensorView {
    if (view.shape.length !== shape.length || view.shape.some((d, i) => d !== shape[i])) {
      throw new CorruptModelError(
        `weight "${view.name}" of model "${this.dir}" has shape ${JSON.stringify(view.shape)}; config.json implies ${JSON.stringify(shape)}`,
        { hint: 'the weights do not match config.json' },
      );
    }
    return view;
  }
}
