import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type Metagraph } from '../contracts/index.js';
import { ModelTracker } from '../tracker/index.js';
import { ModelUpdater } from './model-updater.js';
import { testSchedule, ValidatorWorld } from './testing/validator-world.js';
import { UidQueue } from './uid-queue.js';
import { UpdateLoop, type UpdateLoopOptions } from './update-loop.js';

const options: UpdateLoopOptions = {
  chainUpdateCadenceMs: 60_000,
  topMinerIntervalMs: 60_000,
  topMinerResyncMs: 3_600_000,
  sampleMax: 14,
  idleMs: 10,
};

describe('UpdateLoop', () => {
  let world: ValidatorWorld;
  let tracker: ModelTracker;
  let queue: UidQueue;
  let graph: Metagraph;
  let clock: number;
  let syncs: string[];

  const loop = (overrides: Partial<UpdateLoopOptions> = {}) => {
    const updater = new ModelUpdater({
      chain: world.chain,
      netuid: 9,
      store: world.hub,
      local: world.local,
      tracker,
      logger: silentLogger,
      schedule: testSchedule(),
    });
    const sync = updater.sync.bind(updater);
    updater.sync = (hotkey, o) => {
      syncs.push(hotkey);
      return sync(hotkey, o);
    };
    return new UpdateLoop(
      { updater, metagraph: () => graph, queue, logger: silentLogger, now: () => clock },
      { ...options, ...overrides },
    );
  };

  beforeEach(async () => {
    world = await ValidatorWorld.create();
    tracker = new ModelTracker();
    queue = new UidQueue();
    clock = 1_000_000;
    syncs = [];
    await world.publish('5A', 'a');
    await world.publish('5B', 'b');
    graph = await world.chain.metagraph(9);
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('walks every uid once per cadence and queues new models', async () => {
    const l = loop();
    for (let i = 0; i < 3; i++) await l.tick();
    expect([...syncs].sort()).toEqual(['5A', '5B', '5Validator']);
    expect(queue.pendingUids()).toEqual([1, 2]);
    // The next uid was synced "now": the loop waits out the cadence (aborted here).
    const controller = new AbortController();
    const tick = l.tick(controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await tick;
    expect(syncs).toHaveLength(3);
    clock += 60_000;
    await l.tick();
    expect(syncs).toHaveLength(4);
  });

  it('finishes its first pass once every uid was synced', async () => {
    const l = loop();
    let done = false;
    void l.firstPassDone().then(() => (done = true));
    await l.tick();
    await l.tick();
    await Promise.resolve();
    expect(done).toBe(false);
    await l.tick();
    await l.firstPassDone();
    expect(queue.pendingUids()).toEqual([1, 2]);
  });

  it('skips a uid synced out of turn instead of waiting for it', async () => {
    const l = loop();
    await l.syncUid(1, { force: true });
    await l.tick();
    await l.tick();
    expect([...syncs].sort()).toEqual(['5A', '5B', '5Validator']);
  });

  it('stops queueing when sampleMax uids are kept or pending', async () => {
    queue = new UidQueue([7]);
    const l = loop({ sampleMax: 1 });
    await l.tick();
    expect(syncs).toEqual([]);
  });

  it('force-resyncs a top miner that is not queued, at most once per resync interval', async () => {
    const l = loop();
    await l.syncAll();
    queue.finishStep(queue.beginStep(), []);
    expect(queue.all()).toEqual([]);
    // The validator (uid 0, permit, stake) gives uid 2 all of its weight.
    await world.chain.setWeights(
      9,
      world.chain.signerFor('5Validator'),
      { uids: [2], values: [65535] },
      2022,
    );
    graph = await world.chain.metagraph(9);
    syncs = [];
    await l.resyncTopMiners();
    expect(syncs).toEqual(['5B']);
    expect(queue.pendingUids()).toEqual([2]);
    queue.finishStep(queue.beginStep(), []);
    clock += 60_000;
    await l.resyncTopMiners();
    expect(syncs).toEqual(['5B']);
    clock += 3_600_000;
    await l.resyncTopMiners();
    expect(syncs).toEqual(['5B', '5B']);
  });

  it('keeps running through chain failures', async () => {
    const l = loop();
    world.chain.failures = 2;
    const controller = new AbortController();
    const running = l.run(controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await running;
    expect(queue.pendingUids()).toEqual([1, 2]);
  });
});
