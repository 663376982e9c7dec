/**
 * @pretrain/backend-onnx: a loss backend that builds an ONNX graph from a `ModelSpec`
 * (loss computed inside the graph) and runs it with onnxruntime-node.
 */
import { onnxPlugin } from './plugin.js';

export { onnxPlugin } from './plugin.js';
export { OnnxLossBackend, onnxCapabilities } from './onnx-loss-backend.js';
export { OnnxLoadedModel } from './onnx-loaded-model.js';
export { greedyContinuation } from './greedy.js';
export { parseOnnxOptions, type OnnxBackendOptions } from './options.js';
export { buildCausalLmGraph, GRAPH_IO } from './graph/causal-lm-graph.js';
export { buildDecodeGraph, DECODE_IO } from './graph/decode-graph.js';
export { cudaProvider, CUDA_INSTALL_HINT } from './cuda.js';

export default onnxPlugin;
