import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../artifacts/model-spec.js';
import type { LoadedModel, LossBackend } from '../contracts/loss-backend.js';
import { PluginContractError, UsageError } from '../errors/domain-errors.js';
import { PretrainError } from '../errors/pretrain-error.js';
import { checkedLoadedModel, checkedLossBackend, createLoadedModel } from './checked-model.js';
import type {
  CheckedBatch,
  CheckedGreedyRequest,
  LoadedModelHandler,
  LossSum,
} from './loaded-model-handler.js';

const spec = { vocabSize: 10, maxPositions: 6, dir: '/m' } as ModelSpec;

/**
 * A handler over a tiny exact "model": the loss of a batch is the sum of its token ids
 * over rows × (length − 1), and greedy repeats the last prompt token. It records what
 * reached it, so the tests see what the facade let through.
 */
class RecordingHandler implements LoadedModelHandler {
  readonly batches: CheckedBatch[] = [];
  readonly requests: CheckedGreedyRequest[] = [];
  readonly events: string[] = [];
  released = 0;
  running = 0;
  maxRunning = 0;
  next: ((batch: CheckedBatch, signal: AbortSignal) => Promise<LossSum>) | undefined;
  describeError?: (cause: unknown) => Error;

  async lossSum(batch: CheckedBatch, signal: AbortSignal): Promise<LossSum> {
    this.batches.push(batch);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.next) return await this.next(batch, signal);
      await new Promise((r) => setTimeout(r, 1));
      return { sum: batch.tokens.reduce((a, b) => a + b, 0), count: batch.rows * (batch.length - 1) };
    } finally {
      this.running--;
    }
  }

  async greedy(request: CheckedGreedyRequest): Promise<number[][]> {
    this.requests.push(request);
    return request.prompts.map((p) => Array.from({ length: request.count }, () => p.at(-1)!));
  }

  interrupt(): void {
    this.events.push('interrupt');
  }

  release(): void {
    this.released++;
    this.events.push('release');
  }
}

function model(handler = new RecordingHandler()) {
  return { handler, model: createLoadedModel(spec, handler, { backend: 'test' }) };
}

describe('createLoadedModel: the checking facade', () => {
  it('checks every batch before any reaches the handler, and packs them row-major', async () => {
    const { handler, model: m } = model();
    await expect(m.losses([[[1, 2, 3]], [[1, 2], [3]]])).rejects.toBeInstanceOf(UsageError);
    await expect(m.losses([[[1, 10]]])).rejects.toThrow(/outside the vocabulary/);
    await expect(m.losses([[[1, 2, 3, 4, 5, 6, 7]]])).rejects.toThrow(/exceeds the model's maximum/);
    await expect(m.losses([[[1]]])).rejects.toThrow(/at least one row of 2\+ tokens/);
    expect(handler.batches).toEqual([]);
    expect(
      await m.losses([
        [
          [1, 2],
          [3, 4],
        ],
      ]),
    ).toEqual([5]);
    expect(handler.batches[0]).toMatchObject({ rows: 2, length: 2, tokens: Int32Array.of(1, 2, 3, 4) });
  });

  it('reports sum / count as PyTorch would: NaN stays, +Infinity stays, -Infinity is NaN', async () => {
    const { handler, model: m } = model();
    const sums = [-Infinity, Infinity, NaN, 6];
    handler.next = async () => ({ sum: sums.shift()!, count: 4 });
    const losses = await m.losses([[[1, 2]], [[1, 2]], [[1, 2]], [[1, 2]]]);
    expect(losses).toEqual([NaN, Infinity, NaN, 1.5]);
  });

  it('refuses a result that breaks the contract with a PluginContractError naming the backend', async () => {
    const { handler, model: m } = model();
    handler.next = async () => ({ sum: '1' as unknown as number, count: 1 });
    await expect(m.losses([[[1, 2]]])).rejects.toThrow(PluginContractError);
    handler.next = async () => ({ sum: 1, count: 0 });
    await expect(m.losses([[[1, 2]]])).rejects.toThrow(/backend test returned a loss of an object/);
    handler.greedy = async () => [[1, 2]];
    await expect(m.greedy([[1], [2]], 2)).rejects.toThrow(/an array of 1 for 2 greedy prompts/);
    handler.greedy = async () => [[1]];
    await expect(m.greedy([[1]], 2)).rejects.toThrow(/not 2 tokens/);
    handler.greedy = async () => [[1, 10]];
    await expect(m.greedy([[1]], 2)).rejects.toThrow(/token 10 at prompt 0, step 1: outside the vocabulary/);
  });

  it('checks greedy requests, answers 0 tokens itself and hands one selector per prompt', async () => {
    const { handler, model: m } = model();
    await expect(m.greedy([[1, 2, 3, 4, 5]], 3)).rejects.toThrow(/plus 3 new tokens exceeds/);
    await expect(m.greedy([[1]], -1)).rejects.toThrow(/must be ≥ 0/);
    await expect(m.greedy([[1]], 1, { excludeTokens: [...Array(10).keys()] })).rejects.toThrow(
      /excludes all 10 tokens/,
    );
    expect(await m.greedy([[1], [2]], 0)).toEqual([[], []]);
    expect(handler.requests).toEqual([]);
    expect(await m.greedy([[1, 4], [7]], 2, { excludeTokens: [3, 99, -1] })).toEqual([
      [4, 4],
      [7, 7],
    ]);
    const [request] = handler.requests;
    expect(request!.selectors).toHaveLength(2);
    expect([...request!.excludeTokens]).toEqual([3]);
  });

  it('runs one call at a time', async () => {
    const { handler, model: m } = model();
    await Promise.all([m.losses([[[1, 2]], [[3, 4]]]), m.losses([[[5, 6]]]), m.greedy([[1]], 1)]);
    expect(handler.maxRunning).toBe(1);
  });

  it('stops between batches when the caller aborts', async () => {
    const { handler, model: m } = model();
    const controller = new AbortController();
    handler.next = async (batch) => {
      controller.abort();
      return { sum: 1, count: batch.rows };
    };
    await expect(m.losses([[[1, 2]], [[1, 2]]], { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(handler.batches).toHaveLength(1);
  });

  it('dispose interrupts and awaits the running call, releases once, then every call is PRETRAIN_DISPOSED', async () => {
    const { handler, model: m } = model();
    let seen: AbortSignal | undefined;
    let finish: () => void = () => {};
    handler.next = (batch, signal) => {
      seen = signal;
      return new Promise((resolve) => (finish = () => resolve({ sum: 1, count: batch.rows })));
    };
    const running = m.losses([[[1, 2]], [[1, 2]]]).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 5));
    const disposed = m.dispose();
    expect(handler.events).toEqual(['interrupt']);
    expect(seen?.aborted).toBe(true);
    finish();
    await Promise.all([disposed, m.dispose()]);
    await m.dispose();
    expect(handler.events).toEqual(['interrupt', 'release']);
    expect(handler.released).toBe(1);
    // It stopped after the batch that was running: the second never started.
    expect(await running).toMatchObject({
      code: 'PRETRAIN_DISPOSED',
      hint: expect.stringMatching(/load the model/),
    });
    expect(handler.batches).toHaveLength(1);
    await expect(m.losses([[[1, 2]]])).rejects.toMatchObject({ code: 'PRETRAIN_DISPOSED' });
    await expect(m.greedy([[1]], 0)).rejects.toMatchObject({ code: 'PRETRAIN_DISPOSED' });
  });

  it('maps a handler failure that is not a PretrainError through describeError; typed errors pass', async () => {
    const { handler, model: m } = model();
    handler.describeError = (cause: unknown) =>
      new PretrainError('PRETRAIN_BACKEND_FAILED', `mapped: ${String(cause)}`);
    handler.next = async () => {
      throw new Error('addon exploded');
    };
    await expect(m.losses([[[1, 2]]])).rejects.toMatchObject({ code: 'PRETRAIN_BACKEND_FAILED' });
    handler.next = async () => {
      throw new UsageError('typed');
    };
    await expect(m.losses([[[1, 2]]])).rejects.toBeInstanceOf(UsageError);
  });
});

describe('checkedLoadedModel and checkedLossBackend: what the host wraps', () => {
  /** A backend written without the kit, which checks nothing itself. */
  function foreignModel(calls: string[]): LoadedModel {
    return {
      spec,
      async losses(batches) {
        calls.push(`losses ${batches.length}`);
        return batches.map(() => -Infinity);
      },
      async greedy(prompts, count) {
        calls.push('greedy');
        return prompts.map(() => Array.from({ length: count }, () => 42));
      },
      async dispose() {
        calls.push('dispose');
      },
    };
  }

  it('gives a model made without the kit the same checks', async () => {
    const calls: string[] = [];
    const m = checkedLoadedModel(foreignModel(calls), 'foreign');
    await expect(m.losses([[[1, 2]], [[1, 99]]])).rejects.toBeInstanceOf(UsageError);
    expect(calls).toEqual([]);
    expect(await m.losses([[[1, 2]], [[3, 4]]])).toEqual([NaN, NaN]);
    await expect(m.greedy([[1]], 1)).rejects.toThrow(/backend foreign returned token 42/);
    await Promise.all([m.dispose(), m.dispose()]);
    expect(calls).toEqual(['losses 1', 'losses 1', 'greedy', 'dispose']);
  });

  it('wraps a facade once, and a backend keeps its own members', async () => {
    const { model: m } = model();
    expect(checkedLoadedModel(m, 'test')).toBe(m);
    const calls: string[] = [];
    class ForeignBackend implements LossBackend {
      readonly name = 'foreign';
      readonly capabilities = { families: [], dtypes: [], devices: [], runtime: 'test' } as const;
      private loads = 0;
      async load(_spec?: ModelSpec): Promise<LoadedModel> {
        this.loads++;
        return foreignModel(calls);
      }
      loadCount(): number {
        return this.loads;
      }
      async dispose(): Promise<void> {}
    }
    const backend = checkedLossBackend(new ForeignBackend());
    expect(checkedLossBackend(backend)).toBe(backend);
    const loaded = await backend.load(spec);
    await expect(loaded.losses([[[1, 99]]])).rejects.toBeInstanceOf(UsageError);
    expect(backend.loadCount()).toBe(1);
    expect(backend.name).toBe('foreign');
  });
});
