export * from './subnet9-constants.js';
export * from './competition.js';
export * from './competition-schedule.js';
export * from './criteria-for-block.js';
export * from './validate-schedule.js';
