import type { z } from 'zod/v4';
import type { ModelSpec } from '../artifacts/model-spec.js';
import type { LossBackend, LossBackendPlugin, PluginMeta } from '../contracts/loss-backend.js';
import type { AdamWSettings, Trainer } from '../contracts/trainer.js';
import {
  backendOptionsSchema,
  type COMMON_BACKEND_OPTIONS,
  parseBackendOptions,
  z as zod,
} from './backend-options.js';

type Common = typeof COMMON_BACKEND_OPTIONS;

/** The schema of a defined plugin: the common options, overridden and extended by its own. */
export type DefinedOptionsSchema<Shape extends z.ZodRawShape> = z.ZodObject<
  z.util.Extend<Common, Shape>,
  z.core.$strict
>;

/** What {@link defineBackendPlugin} takes. */
export interface BackendPluginDefinition<Shape extends z.ZodRawShape> {
  /** Name, version and the backend API version it was built for. */
  readonly meta: PluginMeta;
  /**
   * Its own options, `z.object({ ... })` with `.describe()` on each member; `device` and
   * `threads` are always there ({@link COMMON_BACKEND_OPTIONS}) and may be redeclared.
   */
  readonly options?: z.ZodObject<Shape>;
  /** Create a backend from options already validated, typed and defaulted. */
  createLossBackend(options: z.output<DefinedOptionsSchema<Shape>>): Promise<LossBackend>;
  /** A trainer for `spec`, from options validated as for `createLossBackend`. */
  createTrainer?(
    spec: ModelSpec,
    settings: AdamWSettings,
    options: z.output<DefinedOptionsSchema<Shape>>,
  ): Promise<Trainer>;
  /** Whether the backend can run here at all, and why not. */
  probe?(): Promise<{ readonly available: boolean; readonly detail: string }>;
}

/**
 * Build a backend plugin whose options are declared as a schema: the host validates and
 * documents them (`pretrain backends <name>`, `--backend-option key=value`,
 * `backendOptions` in `pretrain.config.json`), and `createLossBackend` receives them
 * typed. Unknown keys are refused. The result is the plain {@link LossBackendPlugin}
 * object a backend package default-exports.
 */
export function defineBackendPlugin<Shape extends z.ZodRawShape = Record<never, never>>(
  definition: BackendPluginDefinition<Shape>,
): LossBackendPlugin {
  const schema = backendOptionsSchema(definition.options ?? (zod.object({}) as z.ZodObject<Shape>));
  const plugin: LossBackendPlugin = {
    meta: definition.meta,
    options: schema,
    async createLossBackend(options) {
      const parsed = parseBackendOptions(schema, options, definition.meta.name);
      return definition.createLossBackend(parsed as z.output<DefinedOptionsSchema<Shape>>);
    },
  };
  const { probe, createTrainer } = definition;
  const withTrainer: LossBackendPlugin =
    createTrainer === undefined
      ? plugin
      : {
          ...plugin,
          createTrainer: (spec, settings, options) =>
            createTrainer.call(
              definition,
              spec,
              settings,
              parseBackendOptions(schema, options, definition.meta.name) as z.output<
                DefinedOptionsSchema<Shape>
              >,
            ),
        };
  return probe ? { ...withTrainer, probe: () => probe.call(definition) } : withTrainer;
}
