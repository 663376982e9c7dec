import { mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { downloadFile, HubApiError, listFiles, modelInfo } from '@huggingface/hub';
import {
  checkRepoListing,
  ModelRejectedError,
  ModelStoreError,
  selectLoadedFiles,
  type CheckedListing,
  type LocalModelFile,
  type RepoFileEntry,
} from '@pretrain/core';
import { streamToFile } from './stream-to-file.js';

/** Where and how to reach the hub (shared by upload and download). */
export interface HubAccess {
  readonly hubUrl: string;
  readonly accessToken: string | undefined;
  readonly fetch: typeof fetch;
  /** Give up on (and retry) a file whose body sends nothing for this long. */
  readonly stallTimeoutMs: number;
}

const FILE_ATTEMPTS = 3;

/**
 * Confirm that `commit` exists in `repo` (the revision endpoint answers with that sha).
 * @throws ModelRejectedError `missing-commit` on 404 or another sha.
 */
export async function assertCommitExists(access: HubAccess, repo: string, commit: string): Promise<void> {
  const info = await modelInfo({ ...access, name: repo, revision: commit, additionalFields: ['sha'] }).catch(
    (error: unknown) => {
      if (error instanceof HubApiError && error.statusCode === 404) {
        throw new ModelRejectedError(
          'missing-commit',
          `The hub has no commit ${commit} in ${repo} (${error.message})`,
          {
            hint: 'the commitment names a repo or commit that does not exist (deleted, private or never pushed)',
          },
        );
      }
      throw hubFailure(`check ${repo}@${commit}`, error);
    },
  );
  if (info.sha !== commit) {
    throw new ModelRejectedError(
      'missing-commit',
      `The hub resolved ${repo}@${commit} to another commit, ${String(info.sha)}`,
    );
  }
}

/** Every file of `repo` at `revision`, with the LFS size where there is one. */
export async function listRepoFiles(
  access: HubAccess,
  repo: string,
  revision: string,
): Promise<RepoFileEntry[]> {
  const entries: RepoFileEntry[] = [];
  try {
    for await (const entry of listFiles({ ...access, repo, revision, recursive: true })) {
      if (entry.type === 'file') entries.push({ path: entry.path, size: entry.lfs?.size ?? entry.size });
    }
  } catch (error) {
    throw hubFailure(`list the files of ${repo}@${revision}`, error);
  }
  return entries;
}

/** Download one file of `repo@commit` to `to`, checking its length; retried as a whole. */
async function downloadOne(
  access: HubAccess,
  repo: string,
  commit: string,
  file: RepoFileEntry,
  to: string,
  signal?: AbortSignal,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const blob = await downloadFile({ ...access, repo, path: file.path, revision: commit, xet: false });
      if (blob === null)
        throw new ModelRejectedError(
          'download-failed',
          `${repo}@${commit} lists ${file.path} but serves no such file`,
        );
      const label = `${repo}@${commit}: ${file.path}`;
      const written = await streamToFile(
        blob.stream(),
        to,
        { label, size: file.size },
        access.stallTimeoutMs,
        signal,
      );
      if (written !== file.size) {
        throw new ModelStoreError(`${label} has ${written} bytes, the listing said ${file.size}`);
      }
      return;
    } catch (error) {
      if (error instanceof ModelRejectedError || signal?.aborted === true || attempt >= FILE_ATTEMPTS) {
        throw error instanceof ModelRejectedError || error instanceof ModelStoreError
          ? error
          : hubFailure(`download ${file.path} of ${repo}@${commit}`, error);
      }
    }
  }
}

/**
 * Check `repo@commit` before any byte is fetched: the commit exists, and the listing
 * passes the guards (names, total size, pickles).
 */
export async function checkSnapshot(
  access: HubAccess,
  repo: string,
  commit: string,
  maxBytes: number,
): Promise<CheckedListing> {
  await assertCommitExists(access, repo, commit);
  return checkRepoListing(repo, await listRepoFiles(access, repo, commit), maxBytes);
}

/**
 * Put the files of `repo@commit` that a model load reads into `staging`
 * ({@link selectLoadedFiles}: config, generation config, weights; the index first when
 * the weights are sharded) and return that narrowed listing. A file in `local` (what was
 * just uploaded from disk, same path and size) is linked instead of downloaded. Removes
 * `staging` on failure.
 *
 * @throws ModelRejectedError `corrupt` for a repo a model load cannot read.
 */
export async function fetchLoadedFiles(
  access: HubAccess,
  repo: string,
  commit: string,
  checked: CheckedListing,
  staging: string,
  options: { readonly signal?: AbortSignal; readonly local?: ReadonlyMap<string, LocalModelFile> } = {},
): Promise<CheckedListing> {
  const placed = new Set<string>();
  const place = async (file: RepoFileEntry): Promise<string> => {
    const to = join(staging, file.path);
    if (placed.has(file.path)) return to;
    await mkdir(dirname(to), { recursive: true });
    const own = options.local?.get(file.path);
    if (own?.size === file.size) await symlink(own.absolutePath, to);
    else await downloadOne(access, repo, commit, file, to, options.signal);
    placed.add(file.path);
    return to;
  };
  try {
    const listing = await selectLoadedFiles(repo, checked, async (index) =>
      readFile(await place(index), 'utf8'),
    );
    for (const file of listing.files) await place(file);
    return listing;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Wrap a hub or network failure in a `ModelStoreError` that says what was being done. */
export function hubFailure(doing: string, error: unknown): ModelStoreError {
  const status = error instanceof HubApiError ? ` (HTTP ${error.statusCode})` : '';
  const detail = error instanceof Error ? error.message : String(error);
  return new ModelStoreError(`Could not ${doing} on the hub${status}: ${detail}`, {
    hint: 'check the hub URL, the network and the token; transient errors were retried',
    cause: error,
  });
}
