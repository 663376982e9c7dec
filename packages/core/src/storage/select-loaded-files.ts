import { ModelRejectedError, SAFETENSORS_INDEX_FILE } from '@pretrain/backend-sdk';
import { MAX_SAFETENSORS_INDEX_BYTES, resolvePretrainedFiles } from '../model/pretrained-files.js';
import type { CheckedListing, RepoFileEntry } from './download-guards.js';

/**
 * Narrow a checked repo listing to the files a model load reads, which are all that a
 * validator downloads, hashes and evaluates (docs/SUBNET.md §3). The size limit
 * was already applied to the whole listing, as the reference sums every file of the
 * commit; `totalBytes` keeps that sum.
 *
 * @param readIndex Fetches the safetensors index (only for sharded weights) and returns
 *   its text; called at most once, with an entry of at most
 *   {@link MAX_SAFETENSORS_INDEX_BYTES} bytes.
 * @throws ModelRejectedError `corrupt` when the repo cannot be loaded: no config.json,
 *   no `model.safetensors` nor index, an unreadable index or one naming absent shards.
 */
export async function selectLoadedFiles(
  repo: string,
  listing: CheckedListing,
  readIndex: (entry: RepoFileEntry) => Promise<string>,
): Promise<CheckedListing> {
  const byPath = new Map(listing.files.map((f) => [f.path, f]));
  const set = await resolvePretrainedFiles(byPath.keys(), async (path) => {
    const entry = byPath.get(path) as RepoFileEntry;
    if (entry.size > MAX_SAFETENSORS_INDEX_BYTES) {
      throw rejected(
        repo,
        `its ${SAFETENSORS_INDEX_FILE} has ${entry.size} bytes, more than ${MAX_SAFETENSORS_INDEX_BYTES}`,
      );
    }
    return readIndex(entry);
  });
  if (set.problem !== undefined) throw rejected(repo, set.problem);
  const files = set.files
    .map((path) => byPath.get(path) as RepoFileEntry)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, totalBytes: listing.totalBytes, downloadBytes: files.reduce((sum, f) => sum + f.size, 0) };
}

function rejected(repo: string, problem: string): ModelRejectedError {
  return new ModelRejectedError('corrupt', `Repo ${repo} cannot be loaded as a model: ${problem}`, {
    hint: 'a model repo holds config.json and model.safetensors (or model.safetensors.index.json and its shards)',
  });
}
