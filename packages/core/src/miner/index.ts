export * from './check-model-criteria.js';
export * from './wait-for-block.js';
export * from './commit-with-retry.js';
export * from './push-model.js';
export * from './download-competitor.js';
