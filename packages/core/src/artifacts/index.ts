export * from './model-spec.js';
export * from './dtype.js';
export * from './safetensors.js';
export * from './tensor-read.js';
export * from './weight-files.js';
export * from './count-parameters.js';
export * from './supported-architectures.js';
export * from './open-model-spec.js';
