import { createRequire } from 'node:module';
import { LOSS_BACKEND_API_VERSION, type LossBackendPlugin } from '@pretrain/core';
import { loadAddon, NATIVE_BUILD_HINT, requireAddon } from './addon.js';
import { NativeLossBackend } from './native-loss-backend.js';
import { parseNativeOptions } from './options.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/** The `native` loss backend plugin (`--backend native`). */
export const nativePlugin: LossBackendPlugin = {
  meta: { name: 'native', version, apiVersion: LOSS_BACKEND_API_VERSION },
  async createLossBackend(options) {
    const parsed = parseNativeOptions(options);
    return new NativeLossBackend(requireAddon(), parsed);
  },
  async probe() {
    const { addon, reason } = loadAddon();
    return addon === undefined
      ? { available: false, detail: `${reason ?? ''}: ${NATIVE_BUILD_HINT}` }
      : {
          available: true,
          detail: `C++ addon on the CPU (no CUDA in this build), ${addon.blasConfig.trim()}`,
        };
  },
};
