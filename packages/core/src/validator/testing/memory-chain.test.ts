// The fake chain of the validator's tests must behave like the real client: it runs the
// ChainClient contract suite that @pretrain/subtensor runs against a devnet.
import { describeChainClientContract } from '@pretrain/conformance/vitest';
import { MemoryChain } from './memory-chain.js';

describeChainClientContract('MemoryChain', () => {
  const client = new MemoryChain(9, { commitmentRateLimit: 10 });
  const registered = [
    { hotkey: '5Validator', validator: true },
    { hotkey: '5MinerA', validator: false },
    { hotkey: '5MinerB', validator: false },
  ].map(({ hotkey, validator }) => ({
    uid: client.register(hotkey, {
      coldkey: `cold-${hotkey}`,
      stake: validator ? 1000 : 0,
      validatorPermit: validator,
    }),
    hotkey,
    coldkey: `cold-${hotkey}`,
    validator,
  }));
  return {
    client,
    netuid: 9,
    registered,
    miners: [client.signerFor('5MinerA'), client.signerFor('5MinerB')],
    validator: client.signerFor('5Validator'),
    commitmentRateLimit: 10,
    resetCommitmentRateLimit: async (hotkey) => client.resetCommitmentRateLimit(hotkey),
    writeRawCommitment: async (hotkey, fields) => client.writeRawCommitment(hotkey, fields),
  };
});
