import { access } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../contracts/index.js';
import { ModelTracker } from '../tracker/index.js';
import { cleanOnce, runCleanLoop } from './clean-loop.js';
import { ModelUpdater } from './model-updater.js';
import { testSchedule, ValidatorWorld } from './testing/validator-world.js';
import { UidQueue } from './uid-queue.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('clean loop', () => {
  let world: ValidatorWorld;
  let tracker: ModelTracker;
  let paths: Record<string, string>;
  beforeEach(async () => {
    world = await ValidatorWorld.create();
    tracker = new ModelTracker();
    const updater = new ModelUpdater({
      chain: world.chain,
      netuid: 9,
      store: world.hub,
      local: world.local,
      tracker,
      logger: silentLogger,
      schedule: testSchedule(),
    });
    paths = {};
    for (const hotkey of ['5Kept', '5Dropped']) {
      await world.publish(hotkey, hotkey.slice(1).toLowerCase());
      const result = await updater.sync(hotkey);
      if (result.kind === 'updated') paths[hotkey] = result.path;
    }
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('deletes models no kept or pending uid references, once untouched long enough', async () => {
    const graph = await world.chain.metagraph(9);
    const deps = {
      local: world.local,
      tracker,
      queue: new UidQueue([1]),
      metagraph: () => graph,
      logger: silentLogger,
    };
    expect(await cleanOnce(deps, 3_600_000)).toEqual([]);
    expect(await cleanOnce(deps, 0)).toHaveLength(1);
    expect(await exists(paths['5Kept']!)).toBe(true);
    expect(await exists(paths['5Dropped']!)).toBe(false);
  });

  it('runs after its first delay and stops on abort', async () => {
    const graph = await world.chain.metagraph(9);
    const deps = {
      local: world.local,
      tracker,
      queue: new UidQueue([], [1]),
      metagraph: () => graph,
      logger: silentLogger,
    };
    const controller = new AbortController();
    const loop = runCleanLoop(deps, { firstDelayMs: 50, intervalMs: 10_000, graceMs: 0 }, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 400));
    controller.abort();
    await loop;
    expect(await exists(paths['5Dropped']!)).toBe(false);
    expect(await exists(paths['5Kept']!)).toBe(true);
  });
});
