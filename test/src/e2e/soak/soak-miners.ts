import { cp, readdir, readFile, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatModelId, pushModel, type ChainClient, type ChainSigner, type ModelId } from '@pretrain/core';
import type { HubModelStore } from '@pretrain/huggingface';

/**
 * What a miner pushes: a new model (a base model with a fresh generation number, so a new
 * hash and a new download), a copy of another miner's latest, a model with a truncated
 * weights file, one whose evaluation crashes or hangs (read by the e2e trigger plugin),
 * or a corrupt download (files that do not match the committed hash).
 */
export type PushKind = 'fresh' | 'copy' | 'broken' | 'crash' | 'hang' | 'corrupt';

/**
 * Hub requests pinned to a 40-hex commit: the validator's listings and downloads, which
 * a miner's upload never makes (so a fault injected on them reaches the validator).
 */
export const VALIDATOR_READS = /^\/api\/models\/[^/]+\/[^/]+\/(tree|revision|paths-info)\/[0-9a-f]{40}/;
/** A validator's file download, pinned to a commit. */
export const VALIDATOR_DOWNLOADS = /^\/[^/]+\/[^/]+\/resolve\/[0-9a-f]{40}\//;

/** One push, as the soak records it. */
export interface PushRecord {
  readonly at: number;
  readonly miner: number;
  readonly kind: PushKind;
  readonly ok: boolean;
  readonly error?: string;
}

/** Options of {@link SoakMiners}. */
export interface SoakMinersOptions {
  readonly chain: ChainClient;
  readonly store: HubModelStore;
  readonly netuid: number;
  readonly signers: readonly ChainSigner[];
  /** Valid model directories to derive pushes from. */
  readonly bases: readonly string[];
  /** Scratch space for the variants (each is removed once pushed). */
  readonly workDir: string;
  /** Limit of one push, so that a push stuck on a chain or hub fault is recorded as failed (default 5 min). */
  readonly pushTimeoutMs?: number;
}

/** Miners that keep pushing, round robin, each push a new commitment on the devnet. */
export class SoakMiners {
  readonly pushes: PushRecord[] = [];
  private generation = 0;
  private next = 0;
  private latest: { dir: string; id: ModelId } | undefined;

  constructor(private readonly options: SoakMinersOptions) {}

  /** Push one model of `kind` from the next miner; failures are recorded, never thrown. */
  async push(kind: PushKind): Promise<PushRecord> {
    const miner = this.next;
    this.next = (this.next + 1) % this.options.signers.length;
    let record: PushRecord;
    try {
      await this.pushAs(miner, kind);
      record = { at: Date.now(), miner, kind, ok: true };
    } catch (error) {
      record = { at: Date.now(), miner, kind, ok: false, error: (error as Error).message.slice(0, 300) };
    }
    this.pushes.push(record);
    return record;
  }

  private async pushAs(miner: number, kind: PushKind): Promise<void> {
    const { chain, store, netuid, signers } = this.options;
    const signer = signers[miner]!;
    const repo = { namespace: `soak-miner-${miner}`, name: 'model' };
    const signal = AbortSignal.timeout(this.options.pushTimeoutMs ?? 300_000);
    if (kind === 'copy' && this.latest !== undefined) {
      await pushModel({
        dir: this.latest.dir,
        repo: `${repo.namespace}/${repo.name}`,
        chain,
        store,
        netuid,
        signer,
        signal,
      });
      return;
    }
    const dir = await this.variant(kind === 'copy' ? 'fresh' : kind);
    try {
      if (kind === 'broken' || kind === 'corrupt') {
        // Claims `push` itself would refuse go straight to the store and the chain.
        const uploaded = await store.upload(dir, repo, { signal });
        const claimed =
          kind === 'corrupt' && this.latest !== undefined
            ? { ...uploaded, hash: this.latest.id.hash }
            : uploaded;
        if (kind === 'corrupt' && this.latest === undefined)
          throw new Error('no earlier model to claim the hash of');
        await chain.commit(netuid, signer, formatModelId(claimed));
        return;
      }
      const result = await pushModel({
        dir,
        repo: `${repo.namespace}/${repo.name}`,
        chain,
        store,
        netuid,
        signer,
        signal,
      });
      if (kind === 'fresh' || kind === 'copy') {
        if (this.latest !== undefined) await rm(this.latest.dir, { recursive: true, force: true });
        this.latest = { dir, id: result.id };
        return;
      }
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    await rm(dir, { recursive: true, force: true });
  }

  private async variant(kind: Exclude<PushKind, 'copy'>): Promise<string> {
    this.generation += 1;
    const base = this.options.bases[this.generation % this.options.bases.length]!;
    const dir = join(this.options.workDir, `g${this.generation}-${kind}`);
    await cp(base, dir, { recursive: true });
    const configPath = join(dir, 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    config.soak_generation = this.generation;
    if (kind === 'crash' || kind === 'hang') config.e2e_behaviour = kind;
    await writeFile(configPath, JSON.stringify(config, null, 2));
    if (kind === 'broken') {
      const weights = (await readdir(dir)).find((f) => f.endsWith('.safetensors'))!;
      const path = join(dir, weights);
      await truncate(path, Math.floor((await stat(path)).size / 2));
    }
    return dir;
  }
}
