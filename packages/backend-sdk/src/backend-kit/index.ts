export * from './token-rows.js';
export * from './argmax-excluding.js';
export * from './check-greedy-processors.js';
export * from './greedy-processors.js';
export * from './greedy-selector.js';
export * from './assert-supported.js';
export * from './model-resource.js';
