import { cp, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkedLossBackend,
  openModelSpec,
  unsupportedReason,
  type LoadedModel,
  type LossBackend,
  type LossBackendPlugin,
  type ModelSpec,
} from '@pretrain/core';
import { fixtureBatches, type FixtureBatches } from '../fixtures/fixture-batches.js';
import { FIXTURES_DIR } from '../fixtures/fixture-paths.js';
import { goldenModelDir, type GoldenModel, type Goldens } from '../fixtures/goldens.js';
import { ConformanceFailure } from './assertions.js';
import { UnsupportedByCapability } from './conformance-case.js';
import type { ConformanceOptions } from './options.js';

/** Read the committed goldens synchronously (case lists are built while vitest collects). */
export function loadGoldens(): Goldens {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, 'goldens.json'), 'utf8')) as Goldens;
}

/** Read a batches file under `test/fixtures/`. */
export function loadBatches(file: string): number[][][] {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as number[][][];
}

/**
 * What the cases share: one backend instance, loaded models cached by fixture name,
 * a scratch directory for damaged copies; {@link close} frees it all.
 */
export class ConformanceContext {
  readonly goldens = loadGoldens();
  readonly batches: FixtureBatches = fixtureBatches();
  /** Relative tolerance of losses against goldens. */
  readonly tolerance: number;
  private backendPromise: Promise<LossBackend> | undefined;
  private readonly models = new Map<string, Promise<LoadedModel>>();
  private scratch: string | undefined;

  constructor(
    readonly plugin: LossBackendPlugin,
    readonly options: ConformanceOptions = {},
  ) {
    this.tolerance = options.precision === 'reduced' ? 1e-2 : 1e-5;
  }

  /** The golden entry of fixture `name`. */
  golden(name: string): GoldenModel {
    const golden = this.goldens.models.find((m) => m.name === name);
    if (!golden) throw new Error(`no golden values for fixture "${name}"`);
    return golden;
  }

  /** Directory of fixture `name` (shipped with this package). */
  dir(name: string): string {
    return goldenModelDir(this.golden(name));
  }

  /** The backend under test, created on first use. */
  backend(): Promise<LossBackend> {
    // As the host does: every model the backend loads goes through the checking facade.
    this.backendPromise ??= this.plugin
      .createLossBackend(this.options.backendOptions ?? {})
      .then((backend) => checkedLossBackend(backend));
    return this.backendPromise;
  }

  /** Fixture `name` loaded once and shared by the cases. */
  model(name: string): Promise<LoadedModel> {
    let model = this.models.get(name);
    if (!model) {
      model = this.spec(name).then(async (spec) => (await this.backend()).load(spec));
      this.models.set(name, model);
    }
    return model;
  }

  /**
   * Return when the backend's capabilities cover fixture `name`. Otherwise check that
   * loading it rejects with an `UnsupportedModelError` (a backend must never run a
   * layout it declares unsupported, nor accept one silently) and throw
   * {@link UnsupportedByCapability} with the reason.
   */
  async requireSupport(name: string): Promise<void> {
    const spec = await this.spec(name);
    const backend = await this.backend();
    const reason = unsupportedReason(backend.name, backend.capabilities, spec);
    if (reason === undefined) return;
    const outcome = await backend.load(spec).then(
      async (model) => {
        await model.dispose();
        return undefined;
      },
      (error: unknown) => error,
    );
    const code = (outcome as { code?: unknown } | undefined)?.code;
    if (code !== 'PRETRAIN_UNSUPPORTED_MODEL') {
      throw new ConformanceFailure(
        `backend ${backend.name} declares ${name} unsupported (${reason.message}) but load ` +
          (outcome === undefined ? 'accepted it' : `failed otherwise: ${String(outcome)}`),
      );
    }
    throw new UnsupportedByCapability(reason.message);
  }

  /**
   * Of `names` (fixtures a case can run on), those the backend's capabilities cover, in
   * order. When it covers none, {@link requireSupport} of the first throws (the case is
   * listed as unsupported, after checking that loading it is refused).
   */
  async supported(names: readonly string[]): Promise<string[]> {
    const backend = await this.backend();
    const covered: string[] = [];
    for (const name of names) {
      if (unsupportedReason(backend.name, backend.capabilities, await this.spec(name)) === undefined)
        covered.push(name);
    }
    if (covered.length === 0) await this.requireSupport(names[0] as string);
    return covered;
  }

  /** The spec of fixture `name`. */
  spec(name: string): Promise<ModelSpec> {
    return openModelSpec(this.dir(name));
  }

  /** A private copy of fixture `name` that a case may damage. */
  async copy(name: string): Promise<string> {
    this.scratch ??= await mkdtemp(join(tmpdir(), 'pretrain-conformance-'));
    const dir = await mkdtemp(join(this.scratch, `${name}-`));
    await cp(this.dir(name), dir, { recursive: true });
    return dir;
  }

  /** Dispose every loaded model and the backend, and delete the scratch copies. */
  async close(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    for (const model of models) await model.then((m) => m.dispose()).catch(() => undefined);
    if (this.backendPromise) await (await this.backendPromise.catch(() => undefined))?.dispose();
    this.backendPromise = undefined;
    if (this.scratch) await rm(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
  }
}
