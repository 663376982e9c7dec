export * from './model-tracker.js';
export * from './cyclic-uid-iterator.js';
