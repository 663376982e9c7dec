import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../contracts/index.js';
import { ModelStoreError, type RejectionReason } from '@pretrain/backend-sdk';
import { formatModelId, hashPretrainedFileSet, type ModelMetadata } from '../model/index.js';
import { ModelTracker } from '../tracker/index.js';
import { ModelContentHashes } from './model-content-hashes.js';
import { ModelUpdater, type ModelUpdaterDeps } from './model-updater.js';
import { testSchedule, ValidatorWorld } from './testing/validator-world.js';

describe('ModelUpdater', () => {
  let world: ValidatorWorld;
  let tracker: ModelTracker;
  let rejections: { reason: RejectionReason; hotkey: string }[];
  const updater = (extra: Partial<ModelUpdaterDeps> = {}) =>
    new ModelUpdater({
      chain: world.chain,
      netuid: 9,
      store: world.hub,
      local: world.local,
      tracker,
      logger: silentLogger,
      schedule: testSchedule(),
      onRejection: (r) => rejections.push(r),
      ...extra,
    });

  beforeEach(async () => {
    world = await ValidatorWorld.create();
    tracker = new ModelTracker();
    rejections = [];
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('downloads, checks and tracks a new commitment once', async () => {
    await world.publish('5Miner', 'good');
    const u = updater();
    const result = await u.sync('5Miner');
    expect(result.kind).toBe('updated');
    if (result.kind !== 'updated') return;
    await access(`${result.path}/config.json`);
    expect(tracker.get('5Miner')).toEqual(result.metadata);
    expect(result.path).toBe(world.local.pathFor('5Miner', result.metadata.id));
    expect(await u.sync('5Miner')).toEqual({ kind: 'unchanged' });
    // A forced resync (top miners) re-checks the copy already on disk.
    expect((await u.sync('5Miner', { force: true })).kind).toBe('updated');
  });

  it('hashes an accepted model for the eval step, which then reads the hash from memory', async () => {
    await world.publish('5Miner', 'good');
    const contentHashes = new ModelContentHashes();
    const result = await updater({ contentHashes }).sync('5Miner');
    if (result.kind !== 'updated') throw new Error(`not updated: ${result.kind}`);
    expect(contentHashes.remembers(result.path)).toBe(true);
    expect(await contentHashes.hashOf(result.path)).toBe(await hashPretrainedFileSet(result.path));
  });

  it('tracks the newer commitment when a miner commits again', async () => {
    await world.publish('5Miner', 'first');
    const u = updater();
    await u.sync('5Miner');
    world.chain.advance(5);
    await world.publish('5Miner', 'second', { boost: 0.1 });
    const result = await u.sync('5Miner');
    expect(result.kind).toBe('updated');
    expect(tracker.get('5Miner')?.id.name).toBe('second');
  });

  it('checks a local copy by the files a model load reads, not the other files beside them', async () => {
    await world.publish('5Miner', 'good');
    const u = updater();
    const first = await u.sync('5Miner');
    if (first.kind !== 'updated') throw new Error(`expected an update, got ${first.kind}`);
    // A copy kept from a download of the whole commit (README and tokenizer beside the model).
    await writeFile(`${first.path}/README.md`, '# not part of the model\n');
    await writeFile(`${first.path}/tokenizer.json`, '{}');
    expect((await u.sync('5Miner', { force: true })).kind).toBe('updated');
    await writeFile(`${first.path}/config.json`, '{"changed":true}');
    expect(await u.sync('5Miner', { force: true })).toMatchObject({
      kind: 'rejected',
      reason: 'hash-mismatch',
    });
  });

  it('evaluates a commitment with a fifth field (a competition id), ignoring more fields', async () => {
    for (const [hotkey, suffix] of [
      ['5Fifth', ':0'],
      ['5Sixth', ':1:later'],
    ] as const) {
      await world.uidOf(hotkey);
      const id = await world.upload(`with${suffix.length}`);
      await world.chain.commit(9, world.chain.signerFor(hotkey), `${formatModelId(id)}${suffix}`);
      const result = await updater().sync(hotkey);
      expect(result).toMatchObject({ kind: 'updated', metadata: { id: { hash: id.hash } } });
    }
    expect(rejections).toEqual([]);
  });

  it('checks the architecture that model_type gives, whatever the architectures list says', async () => {
    // model_type is llama; the list claims GPT-2, which this schedule would refuse.
    await world.publish('5Mixed', 'mixed', { architecture: 'GPT2LMHeadModel' });
    expect((await updater().sync('5Mixed')).kind).toBe('updated');
    const gpt2Only = updater({ schedule: testSchedule({ allowedArchitectures: ['GPT2LMHeadModel'] }) });
    expect(await gpt2Only.sync('5Mixed', { force: true })).toMatchObject({
      kind: 'rejected',
      reason: 'unsupported-architecture',
      message: expect.stringContaining('LlamaForCausalLM is not allowed'),
    });
  });

  it('accepts the hotkey-salted hash', async () => {
    await world.uidOf('5Salty');
    const id = await world.upload('salted', {}, '5Salty');
    await world.chain.commit(9, world.chain.signerFor('5Salty'), formatModelId(id));
    expect((await updater().sync('5Salty')).kind).toBe('updated');
  });

  it('ignores hotkeys without a commitment', async () => {
    await world.uidOf('5Quiet');
    expect(await updater().sync('5Quiet')).toEqual({ kind: 'unchanged' });
    expect(rejections).toEqual([]);
  });

  it('rejects an unparsable commitment as no metadata, once, and keeps the last good model', async () => {
    await world.publish('5Miner', 'good');
    const u = updater();
    await u.sync('5Miner');
    const good = tracker.get('5Miner');
    world.chain.setRawCommitment('5Miner', 'not a model id');
    expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'no-metadata' });
    expect(await u.sync('5Miner')).toEqual({ kind: 'unchanged' });
    expect(tracker.get('5Miner')).toEqual(good);
    expect(rejections.map((r) => r.reason)).toEqual(['no-metadata']);
  });

  it('keeps the last good model when the commitment disappears', async () => {
    await world.publish('5Miner', 'good');
    const u = updater();
    await u.sync('5Miner');
    const good = tracker.get('5Miner');
    world.chain.commitment = () => Promise.resolve(undefined);
    expect(await u.sync('5Miner')).toEqual({ kind: 'unchanged' });
    expect(tracker.get('5Miner')).toEqual(good);
  });

  it('rejects a hash that matches neither the files nor the salted hash', async () => {
    await world.uidOf('5Liar');
    const id = await world.upload('liar');
    const lie = { ...id, hash: 'A'.repeat(43) + '=' };
    await world.chain.commit(9, world.chain.signerFor('5Liar'), formatModelId(lie));
    expect(await updater().sync('5Liar')).toMatchObject({ kind: 'rejected', reason: 'hash-mismatch' });
    expect(tracker.get('5Liar')).toBeUndefined();
  });

  it.each([
    ['oversize', { maxBytes: 1000 }],
    ['unsupported-architecture', { allowedArchitectures: ['GPT2LMHeadModel'] }],
    ['too-many-parameters', { maxParameters: 100 }],
  ] as const)('rejects %s by the criteria of the commitment block', async (reason, constraints) => {
    await world.publish('5Miner', 'model');
    const result = await updater({ schedule: testSchedule(constraints) }).sync('5Miner');
    expect(result).toMatchObject({ kind: 'rejected', reason });
    expect(rejections).toEqual([expect.objectContaining({ reason, hotkey: '5Miner' })]);
  });

  it('rejects a commitment to a commit the store does not have', async () => {
    await world.uidOf('5Ghost');
    const id = await world.upload('ghost');
    await world.chain.commit(
      9,
      world.chain.signerFor('5Ghost'),
      formatModelId({ ...id, commit: 'f'.repeat(40) }),
    );
    expect(await updater().sync('5Ghost')).toMatchObject({ kind: 'rejected', reason: 'missing-commit' });
  });

  it('retries a failed download at the next sync, but not a refused model', async () => {
    await world.publish('5Miner', 'good');
    const download = world.hub.download.bind(world.hub);
    let failures = 1;
    world.hub.download = (...args) =>
      failures-- > 0 ? Promise.reject(new ModelStoreError('hub answered 503')) : download(...args);
    const u = updater();
    expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'download-failed' });
    expect((await u.sync('5Miner')).kind).toBe('updated');
  });

  describe('a second commitment that fails keeps the first model', () => {
    let u: ModelUpdater;
    let good: ModelMetadata | undefined;
    let downloads: number;
    let retrieves: number;
    beforeEach(async () => {
      await world.publish('5Miner', 'first');
      u = updater();
      expect((await u.sync('5Miner')).kind).toBe('updated');
      good = tracker.get('5Miner');
      world.chain.advance(5);
      downloads = retrieves = 0;
      const download = world.hub.download.bind(world.hub);
      world.hub.download = (...args) => (downloads++, download(...args));
      const retrieve = world.local.retrieve.bind(world.local);
      world.local.retrieve = (...args) => (retrieves++, retrieve(...args));
    });

    /** Sync twice: the first refuses with `reason`, the second neither fetches nor hashes again. */
    async function expectRemembered(reason: RejectionReason): Promise<void> {
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason });
      expect(tracker.get('5Miner')).toEqual(good);
      const [before, beforeRetrieves] = [downloads, retrieves];
      expect(await u.sync('5Miner')).toEqual({ kind: 'unchanged' });
      expect(await u.sync('5Miner', { force: true })).toEqual({ kind: 'unchanged' });
      expect([downloads, retrieves]).toEqual([before, beforeRetrieves]);
      expect(tracker.get('5Miner')).toEqual(good);
      expect(rejections.map((r) => r.reason)).toEqual([reason]);
    }

    it('on a hash mismatch, remembered until the commitment changes', async () => {
      const id = await world.upload('liar', { boost: 0.1 });
      await world.chain.commit(
        9,
        world.chain.signerFor('5Miner'),
        formatModelId({ ...id, hash: 'A'.repeat(43) + '=' }),
      );
      await expectRemembered('hash-mismatch');
      expect(downloads).toBe(1);
      // A new commitment is a new claim: checked at once.
      world.chain.advance(5);
      await world.publish('5Miner', 'fixed', { boost: 0.2 });
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'updated' });
      expect(tracker.get('5Miner')?.id.name).toBe('fixed');
    });

    it.each([
      ['unsupported-architecture', { allowedArchitectures: ['MistralForCausalLM'] }],
      ['too-many-parameters', { maxParameters: 100 }],
    ] as const)('on %s (criteria of the new block), remembered', async (reason, constraints) => {
      // The first model stays under the schedule it was checked with; the second falls
      // under stricter rules from its block on.
      const strictFrom = (await world.chain.currentBlock()) + 1;
      const base = testSchedule()[0]!;
      const strict = testSchedule(constraints)[0]!;
      u = updater({ schedule: [base, { ...strict, fromBlock: strictFrom }] });
      await u.sync('5Miner');
      world.chain.advance(2);
      await world.publish('5Miner', 'second', { boost: 0.1 });
      await expectRemembered(reason);
    });

    it('on an unreadable model (untyped error once the files are here), remembered as corrupt', async () => {
      const download = world.hub.download.bind(world.hub);
      world.hub.download = async (...args) => {
        const model = await download(...args);
        // The files hashed right, then reading them fails in a way no check names.
        await rm(join(model.path, 'config.json'));
        await mkdir(join(model.path, 'config.json'));
        return model;
      };
      await world.publish('5Miner', 'second', { boost: 0.1 });
      await expectRemembered('corrupt');
    });

    it('on a transient failure, retried at the next sync', async () => {
      const download = world.hub.download.bind(world.hub);
      let failures = 2;
      world.hub.download = (...args) =>
        failures-- > 0
          ? (downloads++, Promise.reject(new ModelStoreError('hub answered 503')))
          : download(...args);
      await world.publish('5Miner', 'second', { boost: 0.1 });
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'download-failed' });
      expect(tracker.get('5Miner')).toEqual(good);
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'download-failed' });
      expect(tracker.get('5Miner')).toEqual(good);
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'updated' });
      expect(downloads).toBe(3);
      expect(tracker.get('5Miner')?.id.name).toBe('second');
    });

    it('on a commit the hub does not serve (yet), retried', async () => {
      const id = await world.upload('ghost', { boost: 0.1 });
      await world.chain.commit(
        9,
        world.chain.signerFor('5Miner'),
        formatModelId({ ...id, commit: 'f'.repeat(40) }),
      );
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'missing-commit' });
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'missing-commit' });
      expect(downloads).toBe(2);
      expect(tracker.get('5Miner')).toEqual(good);
    });

    it('forgets the refusals of hotkeys that left the metagraph', async () => {
      world.chain.setRawCommitment('5Miner', 'garbage');
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected' });
      expect(await u.sync('5Miner')).toEqual({ kind: 'unchanged' });
      u.retainHotkeys(new Set());
      expect(await u.sync('5Miner')).toMatchObject({ kind: 'rejected', reason: 'no-metadata' });
    });
  });

  it('lets chain failures through for the loop to retry', async () => {
    await world.publish('5Miner', 'good');
    world.chain.failures = 1;
    await expect(updater().sync('5Miner')).rejects.toThrow(/simulated/);
  });
});
