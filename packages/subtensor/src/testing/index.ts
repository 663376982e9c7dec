export * from './chain-client-contract.js';
