import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelRejectedError, UsageError } from '@pretrain/backend-sdk';
import { formatModelId, hashModelDirectory } from '../model/index.js';
import { DirectoryModelStore } from '../storage/directory-model-store.js';
import { MemoryChain } from '../validator/testing/memory-chain.js';
import { testSchedule } from '../validator/testing/validator-world.js';
import { downloadCompetitor } from './download-competitor.js';

const GPT2 = fileURLToPath(new URL('../../../../test/fixtures/models/gpt2-tied-f32', import.meta.url));
const MINER = '5MinerHotkey';

describe('downloadCompetitor', () => {
  let root: string;
  let store: DirectoryModelStore;
  let chain: MemoryChain;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-download-'));
    store = new DirectoryModelStore(join(root, 'hub'));
    chain = new MemoryChain(9);
    chain.register('5Validator');
    chain.register(MINER);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('fetches the committed model by uid or hotkey into a new directory', async () => {
    const id = await store.upload(GPT2, { namespace: 'alice', name: 'tiny' });
    await chain.commit(9, chain.signerFor(MINER), formatModelId(id));
    const byUid = await downloadCompetitor({ chain, netuid: 9, store, uid: 1, dest: join(root, 'a') });
    expect(byUid.hotkey).toBe(MINER);
    expect(await hashModelDirectory(byUid.path)).toBe(await hashModelDirectory(GPT2));
    const byHotkey = await downloadCompetitor({
      chain,
      netuid: 9,
      store,
      hotkey: MINER,
      dest: join(root, 'b'),
    });
    expect(byHotkey.metadata.id).toEqual(byUid.metadata.id);
  });

  it("refuses what validators refuse, with the validator's reason, and keeps nothing", async () => {
    const id = await store.upload(GPT2, { namespace: 'alice', name: 'tiny' });
    const wrongHash = { ...id, hash: await hashModelDirectory(join(GPT2, '..', 'llama-mha-f16')) };
    await chain.commit(9, chain.signerFor(MINER), formatModelId(wrongHash));
    const dest = join(root, 'c');
    const error = await downloadCompetitor({ chain, netuid: 9, store, uid: 1, dest }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelRejectedError);
    expect((error as ModelRejectedError).reason).toBe('hash-mismatch');
    expect(existsSync(dest)).toBe(false);

    await chain.commit(9, chain.signerFor(MINER), formatModelId(id));
    const llamaOnly = downloadCompetitor({ chain, netuid: 9, store, uid: 1, dest, schedule: testSchedule() });
    await expect(llamaOnly).rejects.toMatchObject({ reason: 'unsupported-architecture' });
    expect(existsSync(dest)).toBe(false);
  });

  it('rejects bad requests with usage errors', async () => {
    await expect(
      downloadCompetitor({ chain, netuid: 9, store, uid: 7, dest: join(root, 'd') }),
    ).rejects.toThrow(/uid 7 is not on subnet 9/);
    await expect(
      downloadCompetitor({ chain, netuid: 9, store, uid: 0, hotkey: MINER, dest: join(root, 'd') }),
    ).rejects.toBeInstanceOf(UsageError);
    await mkdir(join(root, 'exists'));
    await expect(
      downloadCompetitor({ chain, netuid: 9, store, uid: 1, dest: join(root, 'exists') }),
    ).rejects.toThrow(/already exists/);
    await expect(
      downloadCompetitor({ chain, netuid: 9, store, uid: 1, dest: join(root, 'e') }),
    ).rejects.toThrow(/no commitment/);
  });
});
