import { createRequire } from 'node:module';
import { defineBackendPlugin, LOSS_BACKEND_API_VERSION, type LossBackendPlugin } from '@pretrain/backend-sdk';
import { loadAddon, NATIVE_BUILD_HINT, requireAddon, type NativeAddon } from './addon.js';
import { NativeLossBackend } from './native-loss-backend.js';
import { assertCudaUsable, NATIVE_OPTIONS, parseNativeOptions } from './options.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/**
 * The native plugin over the addon `load` gives. The published plugin loads the real addon;
 * the tests also put the CUDA emulator build behind the very same plugin code.
 */
export function nativePluginFor(
  load: () => { readonly addon?: NativeAddon; readonly reason?: string },
): LossBackendPlugin {
  return defineBackendPlugin({
    meta: { name: 'native', version, apiVersion: LOSS_BACKEND_API_VERSION },
    options: NATIVE_OPTIONS,
    async createLossBackend(options) {
      const parsed = parseNativeOptions(options);
      const addon = requireAddon(load());
      if (parsed.device === 'cuda') assertCudaUsable(addon.cudaDevices());
      return new NativeLossBackend(addon, parsed);
    },
    async probe() {
      const { addon, reason } = load();
      if (addon === undefined) return { available: false, detail: `${reason ?? ''}: ${NATIVE_BUILD_HINT}` };
      const cuda = addon.cudaDevices();
      const gpu = cuda.devices > 0 ? `CUDA on ${cuda.devices} device(s)` : `no CUDA (${cuda.reason})`;
      return { available: true, detail: `C++ addon: CPU (${addon.blasConfig.trim()}); ${gpu}` };
    },
  });
}

/** The `native` loss backend plugin (`--backend native`). */
export const nativePlugin: LossBackendPlugin = nativePluginFor(loadAddon);
