export {};
export * from './model-store-contract.js';
