import { createRequire } from 'node:module';
import { LOSS_BACKEND_API_VERSION, type LossBackendPlugin } from '@pretrain/core';
import { CUDA_INSTALL_HINT, cudaProvider } from './cuda.js';
import { OnnxLossBackend } from './onnx-loss-backend.js';
import { parseOnnxOptions } from './options.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/** The `onnx` loss backend plugin (`--backend onnx`). */
export const onnxPlugin: LossBackendPlugin = {
  meta: { name: 'onnx', version, apiVersion: LOSS_BACKEND_API_VERSION },
  async createLossBackend(options) {
    return new OnnxLossBackend(parseOnnxOptions(options));
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
};
