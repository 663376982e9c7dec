import { createRequire } from 'node:module';
import { defineBackendPlugin, LOSS_BACKEND_API_VERSION, type LossBackendPlugin } from '@pretrain/backend-sdk';
import { CUDA_INSTALL_HINT, cudaProvider } from './cuda.js';
import { OnnxLossBackend } from './onnx-loss-backend.js';
import { ONNX_OPTIONS } from './options.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/** The `onnx` loss backend plugin (`--backend onnx`). */
export const onnxPlugin: LossBackendPlugin = defineBackendPlugin({
  meta: { name: 'onnx', version, apiVersion: LOSS_BACKEND_API_VERSION },
  options: ONNX_OPTIONS,
  async createLossBackend({ device, threads }) {
    return new OnnxLossBackend({ device, threads });
  },
  async probe() {
    const cuda = cudaProvider();
    const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
    return {
      available: true,
      detail: cuda.installed
        ? `onnxruntime-node ${ortVersion}: CPU and CUDA EPs`
        : `onnxruntime-node ${ortVersion}: CPU EP (no CUDA EP: ${CUDA_INSTALL_HINT})`,
    };
  },
});
