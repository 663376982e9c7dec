export * from './dashboard-routes.js';
export * from './dashboard-server.js';
export * from './history-dir.js';
export * from './leaderboard.js';
export * from './live-state.js';
export * from './start-dashboard.js';
export * from './weights-recorder.js';
