import { PretrainError } from '../errors/index.js';

/**
 * What a loaded model holds from its runtime (a session, tensors, an addon handle) until
 * `dispose`: after that every use fails the same typed way, and only one caller gets the
 * resource back to release it, so `dispose` stays idempotent.
 */
export class ModelResource<R> {
  private resource: R | undefined;

  /** @param dir the model directory, named in the disposed error. */
  constructor(
    resource: R,
    private readonly dir: string,
  ) {
    this.resource = resource;
  }

  /**
   * The resource while the model is open.
   * @throws PretrainError (`PRETRAIN_DISPOSED`) once the model was disposed.
   */
  get(): R {
    if (this.resource === undefined) throw disposedError(this.dir);
    return this.resource;
  }

  /** The resource, handed over once for release; `undefined` on every later call. */
  take(): R | undefined {
    const resource = this.resource;
    this.resource = undefined;
    return resource;
  }
}

/** The error every use of a disposed model gets (`PRETRAIN_DISPOSED`). */
export function disposedError(dir: string): PretrainError {
  return new PretrainError('PRETRAIN_DISPOSED', `model "${dir}" was disposed`, {
    hint: 'load the model again before evaluating it',
  });
}

/**
 * A batch's mean loss as backends report it, as PyTorch's `CrossEntropyLoss` would: NaN
 * stays NaN (the reference's `iswin` then counts the batch as a win for neither side)
 * and `+Infinity` stays `+Infinity`. A cross-entropy cannot be negative, so `-Infinity`
 * can only come from the same overflow (∞ − ∞) that gives PyTorch NaN: it is NaN too.
 */
export function reportedMean(sum: number, count: number): number {
  const mean = sum / count;
  return mean === -Infinity ? NaN : mean;
}
