export * from './seeded-random.js';
export * from './read-documents.js';
export * from './build-batches.js';
export * from './eval-limits.js';
export * from './local-text-dataset.js';
export * from './local-text-dataset-plugin.js';
