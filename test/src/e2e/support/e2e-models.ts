import { cp, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompetitionSchedule, Tokenizer } from '@pretrain/core';
import { testRowText } from '@pretrain/huggingface/testing';
import { writeDemoModels } from '../../../../packages/cli/src/demo/demo-models.js';

/** Sequence length of the end-to-end schedule: short, so steps take seconds. */
export const E2E_SEQUENCE_LENGTH = 128;
/** Repo size limit of the end-to-end schedule: the demo models (~16 MB) fit, the padded one not. */
export const E2E_MAX_BYTES = 24_000_000;

/** One competition like the first real one, scaled to the small models of these tests. */
export const E2E_SCHEDULE: CompetitionSchedule = [
  {
    fromBlock: 0,
    competitions: [
      {
        id: 'pretrain',
        rewardShare: 1,
        constraints: {
          sequenceLength: E2E_SEQUENCE_LENGTH,
          batchSize: 1,
          maxBytes: E2E_MAX_BYTES,
          maxParameters: 10_000_000,
          tokenizer: 'distilgpt2',
          bf16: false,
          allowedArchitectures: ['LlamaForCausalLM'],
        },
        evalTasks: [{ id: 'falcon-loss', dataset: 'falcon', weight: 1 }],
      },
    ],
  },
];

/** A GPT-2 fixture model: an architecture the end-to-end schedule does not allow. */
export const GPT2_FIXTURE = fileURLToPath(new URL('../../../fixtures/models/gpt2-tied-f32', import.meta.url));

/** The model directories of the end-to-end miners. */
export interface E2eModels {
  readonly unigram: string;
  readonly flattened: string;
  readonly random: string;
  /** Evaluating it spins forever (see `trigger-plugin.mjs`). */
  readonly hang: string;
  /** Evaluating it aborts the process. */
  readonly crash: string;
  /** Over {@link E2E_MAX_BYTES}. */
  readonly oversize: string;
}

/**
 * The rows the Falcon double serves (consecutive from seeded offsets, as pages are), as
 * the validator tokenizes them: the corpus the unigram miner is fitted to.
 */
function corpus(tokenizer: Tokenizer): number[][] {
  const docs: number[][] = [];
  let x = 12345;
  for (let page = 0; page < 200; page++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const start = 1 + (x % 968_000_000);
    for (let row = start; row < start + 100; row++) {
      const text = testRowText('tiiuae/falcon-refinedweb', 'default', row);
      docs.push([...tokenizer.encode(text, { truncation: true }), tokenizer.eosTokenId]);
    }
  }
  return docs;
}

/** Write every end-to-end miner model under `root`. */
export async function writeE2eModels(root: string, tokenizer: Tokenizer): Promise<E2eModels> {
  const [unigram, flattened, random] = await writeDemoModels({
    dir: join(root, 'originals'),
    documents: corpus(tokenizer),
    vocabSize: tokenizer.vocabSize,
    eosTokenId: tokenizer.eosTokenId,
    sequenceLength: E2E_SEQUENCE_LENGTH,
  });
  const variant = async (
    name: string,
    from: string,
    edit: (dir: string) => Promise<void>,
  ): Promise<string> => {
    const dir = join(root, name);
    await cp(from, dir, { recursive: true });
    await edit(dir);
    return dir;
  };
  const behave = (behaviour: string) => async (dir: string) => {
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ ...config, e2e_behaviour: behaviour }, null, 2),
    );
  };
  return {
    unigram: unigram!.dir,
    flattened: flattened!.dir,
    random: random!.dir,
    hang: await variant('hang', flattened!.dir, behave('hang')),
    crash: await variant('crash', flattened!.dir, behave('crash')),
    oversize: await variant('oversize', random!.dir, (dir) =>
      writeFile(join(dir, 'padding.json'), JSON.stringify({ padding: ' '.repeat(E2E_MAX_BYTES) })),
    ),
  };
}

/** The files of a model as `save_pretrained` writes them; what `from_pretrained` fetches. */
const LOADED_FILES = ['config.json', 'generation_config.json', 'model.safetensors'] as const;

/**
 * The commit a reference (Python) miner leaves on the hub for the model in `dir`:
 * `push_to_hub` uploads `config.json`, `generation_config.json` and `model.safetensors`,
 * the hub adds `.gitattributes`, and a miner commonly adds a model card and tokenizer
 * files beside them. Only {@link LOADED_FILES} are part of the hash.
 */
export async function referenceMinerCommit(
  dir: string,
): Promise<{ files: { path: string; content: Buffer }[]; loaded: readonly string[] }> {
  const files: { path: string; content: Buffer }[] = await Promise.all(
    LOADED_FILES.map(async (path) => ({ path, content: await readFile(join(dir, path)) })),
  );
  files.push(
    { path: '.gitattributes', content: Buffer.from('*.safetensors filter=lfs diff=lfs merge=lfs -text\n') },
    { path: 'README.md', content: Buffer.from('---\nlicense: mit\n---\n# A subnet 9 model\n') },
    { path: 'tokenizer_config.json', content: Buffer.from('{"model_max_length":1024}\n') },
  );
  return { files, loaded: LOADED_FILES };
}
