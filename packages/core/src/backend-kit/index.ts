export * from './token-rows.js';
export * from './argmax-excluding.js';
