import { ChainError } from '@pretrain/core';
import { loadGenesis } from './genesis.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import type { StorageWrites } from './subnet-setup.js';

/** How long `stop` waits for a block being built to be saved. */
const BLOCK_SAVE_WAIT_MS = 20_000;

/** A chopsticks chain served over WebSocket in this process. */
export interface ChopsticksHandle {
  readonly endpoint: string;
  readonly port: number;
  setStorage(writes: StorageWrites): Promise<void>;
  /** Write raw `[key, value]` pairs now and again on top of every new head. */
  pinStorage(pairs: readonly (readonly [string, string])[]): void;
  newBlocks(count: number): Promise<number>;
  setHead(number: number): Promise<void>;
  stop(): Promise<void>;
}

/** What {@link launchChopsticks} starts. */
export interface LaunchOptions {
  readonly specPath: string;
  readonly port: number;
  readonly dbPath: string;
  /** Continue from the highest block in `dbPath`. */
  readonly resume: boolean;
  /** Applied on top of the genesis (or the resumed head) at start. */
  readonly importStorage: StorageWrites;
}

// chopsticks runs the runtime in one worker shared by every chain of the process; it is
// terminated when the last chain stops so that the process can exit.
let running = 0;

/**
 * Start chopsticks from a raw chain spec. Imported lazily: loading chopsticks costs
 * seconds, and chain clients that never start a devnet should not pay it.
 */
export async function launchChopsticks(options: LaunchOptions): Promise<ChopsticksHandle> {
  const chopsticks = await import('@acala-network/chopsticks');
  const genesis = await loadGenesis(options.specPath, Date.now());
  let context: Awaited<ReturnType<typeof chopsticks.setupWithServer>>;
  try {
    context = await chopsticks.setupWithServer({
      genesis,
      host: '127.0.0.1',
      port: 0,
      'build-block-mode': chopsticks.BuildBlockMode.Batch,
      db: options.dbPath,
      resume: options.resume,
      'import-storage': options.importStorage,
    } as Parameters<typeof chopsticks.setupWithServer>[0]);
  } catch (cause) {
    if (running === 0) await chopsticks.destroyWorker();
    throw new ChainError(`the devnet could not start: ${(cause as Error).message}`, {
      cause,
      hint: options.resume
        ? `the chain database ${options.dbPath} may be damaged: remove it to start afresh`
        : undefined,
    });
  }
  running += 1;
  const chain = context.chain;
  let proxy: TcpProxy;
  try {
    proxy = await startTcpProxy('127.0.0.1', options.port, Number(context.addr.split(':').pop()));
  } catch (error) {
    await context.close();
    running -= 1;
    if (running === 0) await chopsticks.destroyWorker();
    throw error;
  }
  const port = proxy.port;
  const pinned: string[] = [];
  let stopped = false;
  return {
    endpoint: `ws://127.0.0.1:${port}`,
    port,
    async setStorage(writes) {
      await chopsticks.setStorage(chain, writes);
    },
    pinStorage(pairs) {
      const items = pairs.map(([key, value]) => [key, value] as [string, string]);
      chain.head.pushStorageLayer().setAll(items);
      pinned.push(chain.headState.subscribeHead((block) => block.pushStorageLayer().setAll(items)));
    },
    async newBlocks(count) {
      for (let i = 0; i < count; i += 1) await chain.newBlock();
      return chain.head.number;
    },
    async setHead(number) {
      const block = await chain.getBlockAt(number);
      if (block === undefined) throw new ChainError(`block ${number} is not known to the devnet`);
      await chain.setHead(block);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const id of pinned) chain.headState.unsubscribeHead(id);
      await proxy.close();
      // A block still being built is saved to the database only when it is done: closing
      // first lost the newest block on resume (the head went back by one). Bounded: a stop
      // must never hang, and a block takes milliseconds to build on an idle machine.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        chain.upcomingBlocks().catch(() => 0),
        new Promise((resolve) => (timer = setTimeout(resolve, BLOCK_SAVE_WAIT_MS))),
      ]);
      clearTimeout(timer);
      await context.close();
      running -= 1;
      if (running === 0) await chopsticks.destroyWorker();
    },
  };
}
