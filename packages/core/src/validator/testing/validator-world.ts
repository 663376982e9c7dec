import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Competition, CompetitionSchedule } from '../../criteria/index.js';
import { formatModelId, type ModelId } from '../../model/index.js';
import { DirectoryModelStore } from '../../storage/directory-model-store.js';
import { DiskLocalModelStore } from '../../storage/disk-local-model-store.js';
import { MemoryChain } from './memory-chain.js';
import { writeSuccessorModel, type SuccessorModelOptions } from './successor-model.js';

/** A one-entry schedule fitting the small test models, with overridable constraints. */
export function testSchedule(constraints: Partial<Competition['constraints']> = {}): CompetitionSchedule {
  return [
    {
      fromBlock: 0,
      competitions: [
        {
          id: 'pretrain',
          rewardShare: 1,
          constraints: {
            sequenceLength: 128,
            batchSize: 1,
            maxBytes: 10_000_000,
            maxParameters: 1_000_000,
            tokenizer: 'distilgpt2',
            bf16: false,
            allowedArchitectures: ['LlamaForCausalLM'],
            ...constraints,
          },
          evalTasks: [{ id: 'test-loss', dataset: 'falcon', weight: 1 }],
        },
      ],
    },
  ];
}

/** Real core stores, an in-memory chain and a temporary directory for validator tests. */
export class ValidatorWorld {
  readonly chain = new MemoryChain(9);
  readonly hub: DirectoryModelStore;
  readonly local: DiskLocalModelStore;

  private constructor(readonly root: string) {
    this.hub = new DirectoryModelStore(join(root, 'hub'));
    this.local = new DiskLocalModelStore(join(root, 'local'));
  }

  /** A world with a validator (uid 0, staked, permitted) registered. */
  static async create(): Promise<ValidatorWorld> {
    const world = new ValidatorWorld(await mkdtemp(join(tmpdir(), 'pretrain-validator-')));
    world.chain.register('5Validator', { stake: 1000, validatorPermit: true });
    return world;
  }

  /** Write a successor model, upload it as `ns/<name>` and return its id. */
  async upload(name: string, model: SuccessorModelOptions = {}, hotkey?: string): Promise<ModelId> {
    const dir = join(this.root, 'work', name);
    await writeSuccessorModel(dir, model);
    return this.hub.upload(dir, { namespace: 'ns', name }, { hotkey });
  }

  /** Register `hotkey` (if needed), upload a model and commit it; returns the uid. */
  async publish(hotkey: string, name: string, model: SuccessorModelOptions = {}): Promise<number> {
    const uid = await this.uidOf(hotkey);
    const id = await this.upload(name, model);
    await this.chain.commit(9, this.chain.signerFor(hotkey), formatModelId(id));
    return uid;
  }

  /** The uid of `hotkey`, registering it first when needed. */
  async uidOf(hotkey: string): Promise<number> {
    const graph = await this.chain.metagraph(9);
    const found = graph.neurons.findIndex((n) => n.hotkey === hotkey);
    return found >= 0 ? found : this.chain.register(hotkey);
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
