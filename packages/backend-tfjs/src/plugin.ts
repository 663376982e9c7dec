import { createRequire } from 'node:module';
import { defineBackendPlugin, LOSS_BACKEND_API_VERSION, type LossBackendPlugin } from '@pretrain/backend-sdk';
import { parseTfjsOptions, TFJS_OPTIONS } from './options.js';
import { describeSelection, selectRuntime } from './select-runtime.js';
import { TfjsLossBackend } from './tfjs-loss-backend.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/** The `tfjs` loss backend plugin (`--backend tfjs`). */
export const tfjsPlugin: LossBackendPlugin = defineBackendPlugin({
  meta: { name: 'tfjs', version, apiVersion: LOSS_BACKEND_API_VERSION },
  options: TFJS_OPTIONS,
  async createLossBackend(options) {
    const parsed = parseTfjsOptions(options, process.cwd());
    return new TfjsLossBackend(await selectRuntime(parsed));
  },
  /** A trainer on the runtime the same options select. */
  async createTrainer(spec, settings, options) {
    const backend = new TfjsLossBackend(await selectRuntime(parseTfjsOptions(options, process.cwd())));
    return backend.createTrainer(spec, settings);
  },
  /** Which runtime an unforced backend would run on, and why the better ones are not used. */
  async probe() {
    try {
      return {
        available: true,
        detail: describeSelection(
          await selectRuntime({ device: undefined, tfjsBackend: undefined, cwd: process.cwd() }),
        ),
      };
    } catch (error) {
      return { available: false, detail: (error as Error).message };
    }
  },
});
