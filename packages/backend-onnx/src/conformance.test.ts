import { describeBackendConformance } from '@pretrain/conformance/vitest';
import { cudaProvider } from './cuda.js';
import onnxPlugin from './index.js';

// The whole suite, nothing excluded: fp32 compute, so goldens within 1e-5 relative.
describeBackendConformance(onnxPlugin);

// Where onnxruntime-node was installed with its CUDA EP (ONNXRUNTIME_NODE_INSTALL=cuda12),
// the suite runs on the GPU too; cuDNN/cuBLAS may use TF32, hence the reduced tolerance.
if (cudaProvider().installed) {
  describeBackendConformance(onnxPlugin, { backendOptions: { device: 'cuda' }, precision: 'reduced' });
}
