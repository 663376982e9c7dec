export * from './step-record.js';
export * from './step-history.js';
