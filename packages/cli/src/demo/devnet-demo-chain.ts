import { connectSubtensor, loadHotkey } from '@pretrain/subtensor';
import { loadDevnet } from '../commands/devnet/load-devnet.js';
import type { DemoChain, DemoChainStarter } from './demo-chain.js';

/** Options of {@link startDevnetDemoChain} beyond the starter's. */
export interface DevnetDemoOptions {
  /** Port to serve on; 0 (default) picks a free one, so a running devnet is left alone. */
  readonly port?: number;
  /** An empty block every this many ms, as a live chain's clock (default 6000; each costs CPU). */
  readonly blockTimeMs?: number;
}

/**
 * The demo's chain: a fresh devnet (the real subtensor runtime in chopsticks, in this
 * process) with one staked, permitted validator and `miners` registered miners, and a
 * client connected to it. `stop()` closes the client, then the devnet and its
 * temporary data.
 */
export function devnetDemoChain(extra: DevnetDemoOptions = {}): DemoChainStarter {
  return async ({ miners, logger }): Promise<DemoChain> => {
    const { startDevnet } = await loadDevnet();
    const devnet = await startDevnet({
      miners,
      validators: 1,
      port: extra.port ?? 0,
      blockTimeMs: extra.blockTimeMs ?? 6000,
      logger,
    });
    try {
      const chain = await connectSubtensor({ endpoint: devnet.endpoint });
      const signer = (wallet: string, hotkey: string) =>
        loadHotkey({ wallet, hotkey, path: devnet.walletPath });
      const validator = devnet.wallets.find((w) => w.role === 'validator')!;
      const minerWallets = devnet.wallets.filter((w) => w.role === 'miner');
      let stopped = false;
      return {
        chain,
        netuid: devnet.netuid,
        endpoint: devnet.endpoint,
        validator: await signer(validator.wallet, validator.hotkey),
        miners: await Promise.all(minerWallets.map((w) => signer(w.wallet, w.hotkey))),
        async stop() {
          if (stopped) return;
          stopped = true;
          await chain.close().catch(() => undefined);
          await devnet.stop();
        },
      };
    } catch (error) {
      await devnet.stop();
      throw error;
    }
  };
}

/** {@link devnetDemoChain} with its defaults. */
export const startDevnetDemoChain: DemoChainStarter = devnetDemoChain();
