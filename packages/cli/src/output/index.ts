export * from './render-table.js';
export * from './write-json.js';
export * from './escape-control.js';
