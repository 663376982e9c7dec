import { describeChainClientContract } from './chain-client-contract.js';
import { MemoryChain } from './memory-chain.js';

describeChainClientContract('MemoryChain', async () => {
  const client = new MemoryChain(9);
  client.register('5Validator', { stake: 1000, validatorPermit: true });
  client.register('5Miner');
  return {
    client,
    netuid: 9,
    miner: { address: '5Miner' },
    validator: { address: '5Validator' },
    stranger: { address: '5Stranger' },
  };
});
