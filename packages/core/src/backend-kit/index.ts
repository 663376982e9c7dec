export * from './token-rows.js';
export * from './argmax-excluding.js';
export * from './assert-supported.js';
export * from './model-resource.js';
