import { SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE } from '@pretrain/backend-sdk';

/** The model's configuration; every load reads it. */
export const CONFIG_FILE = 'config.json';
/** Generation defaults; fetched (and hashed) when the repo has one. */
export const GENERATION_CONFIG_FILE = 'generation_config.json';
/**
 * Largest index read. A real index is tens of kilobytes (one line per tensor); a bigger
 * one is refused instead of parsed, so a hostile repo cannot make a validator load a
 * multi-gigabyte JSON document.
 */
export const MAX_SAFETENSORS_INDEX_BYTES = 32 * 1024 * 1024;

/** The files a load reads, or why the repo cannot be loaded at all. */
export type PretrainedFileSet =
  | { readonly files: readonly string[]; readonly problem?: undefined }
  | { readonly files?: undefined; readonly problem: string };

/** What is known from the file names alone, before an index is read. */
export type PretrainedFilePlan =
  | { readonly kind: 'complete'; readonly files: readonly string[] }
  | { readonly kind: 'sharded'; readonly files: readonly string[]; readonly index: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/**
 * Which of a repo's files `AutoModelForCausalLM.from_pretrained(repo, revision,
 * use_safetensors=True)` fetches, judged by their names (docs/SUBNET.md §3):
 * `config.json`, `generation_config.json` when present, and `model.safetensors`, or
 * when there is none, `model.safetensors.index.json` whose shards are only known once
 * it is read ({@link shardsOfIndex}). Everything else (`.gitattributes`, README,
 * tokenizer files, other safetensors) is not part of the model.
 *
 * @param paths Every file of the repo, relative, with `/` separators.
 */
export function planPretrainedFiles(paths: Iterable<string>): PretrainedFilePlan {
  const present = new Set(paths);
  if (!present.has(CONFIG_FILE)) {
    return { kind: 'invalid', problem: `it has no ${CONFIG_FILE}` };
  }
  const head = present.has(GENERATION_CONFIG_FILE) ? [CONFIG_FILE, GENERATION_CONFIG_FILE] : [CONFIG_FILE];
  if (present.has(SAFETENSORS_FILE)) return { kind: 'complete', files: [...head, SAFETENSORS_FILE] };
  if (present.has(SAFETENSORS_INDEX_FILE)) {
    return { kind: 'sharded', files: [...head, SAFETENSORS_INDEX_FILE], index: SAFETENSORS_INDEX_FILE };
  }
  return {
    kind: 'invalid',
    problem: `it has neither ${SAFETENSORS_FILE} nor ${SAFETENSORS_INDEX_FILE}, the only safetensors weights a model load reads`,
  };
}

/**
 * The shard file names of a safetensors index: the distinct values of its `weight_map`,
 * sorted. Each must be a plain file name (no directory part) ending in `.safetensors` and
 * be one of `present`, since the load fetches every one of them.
 *
 * @param text The index file's content.
 * @param present Every file of the repo.
 */
export function shardsOfIndex(
  text: string,
  present: ReadonlySet<string>,
): { readonly shards: readonly string[]; readonly problem?: undefined } | { readonly problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `${SAFETENSORS_INDEX_FILE} is not JSON (${(error as Error).message})` };
  }
  const map =
    typeof json === 'object' && json !== null && Object.hasOwn(json, 'weight_map')
      ? (json as { weight_map: unknown }).weight_map
      : undefined;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    return { problem: `${SAFETENSORS_INDEX_FILE} has no "weight_map" object` };
  }
  const shards = new Set<string>();
  for (const [tensor, shard] of Object.entries(map)) {
    if (typeof shard !== 'string' || !/^[^/\\]+\.safetensors$/.test(shard) || shard.startsWith('.')) {
      return {
        problem: `${SAFETENSORS_INDEX_FILE} maps ${JSON.stringify(tensor)} to ${JSON.stringify(shard)}, not a .safetensors file name`,
      };
    }
    shards.add(shard);
  }
  if (shards.size === 0) return { problem: `${SAFETENSORS_INDEX_FILE} has an empty weight_map` };
  const missing = [...shards].filter((s) => !present.has(s));
  if (missing.length > 0) {
    return { problem: `${SAFETENSORS_INDEX_FILE} names shards the repo lacks: ${missing.join(', ')}` };
  }
  return { shards: [...shards].sort() };
}

/**
 * The complete file set a model load reads (see {@link planPretrainedFiles}), reading the
 * index through `readIndex` when the weights are sharded. Never throws for bad content:
 * a repo that cannot be loaded gives a `problem`.
 *
 * @param paths Every file of the repo, relative, with `/` separators.
 * @param readIndex Reads the named index file (only called for sharded weights).
 */
export async function resolvePretrainedFiles(
  paths: Iterable<string>,
  readIndex: (path: string) => Promise<string>,
): Promise<PretrainedFileSet> {
  const present = new Set(paths);
  const plan = planPretrainedFiles(present);
  if (plan.kind === 'invalid') return { problem: plan.problem };
  if (plan.kind === 'complete') return { files: plan.files };
  const shards = shardsOfIndex(await readIndex(plan.index), present);
  if (shards.problem !== undefined) return { problem: shards.problem };
  return { files: [...plan.files, ...shards.shards] };
}
