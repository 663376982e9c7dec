import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commit, createRepo, HubApiError, type CommitOperation } from '@huggingface/hub';
import {
  classifyModelFile,
  hashModelDirectory,
  ModelStoreError,
  saltHash,
  selectUploadFiles,
  type LocalModelFile,
  type ModelId,
  type UploadOptions,
} from '@pretrain/core';
import {
  checkSnapshot,
  fetchLoadedFiles,
  hubFailure,
  listRepoFiles,
  type HubAccess,
} from './hub-download.js';

/** Files the hub adds by itself and that an upload must not delete. */
const HUB_MANAGED = new Set(['.gitattributes']);

/** Create `repo` unless it exists (the hub answers 409 then). */
async function ensureRepo(access: HubAccess & { accessToken: string }, repo: string): Promise<void> {
  try {
    await createRepo({ ...access, repo: { type: 'model', name: repo } });
  } catch (error) {
    if (!(error instanceof HubApiError && error.statusCode === 409))
      throw hubFailure(`create ${repo}`, error);
  }
}

/**
 * The subnet hash of `repo@sha` as a validator will compute it after downloading: the
 * directory hash of the files a model load reads. Uploaded files are linked from their
 * local copies once the hub's listing confirms their sizes (no re-download); any other
 * file of that set is fetched, so the hash covers exactly what the commit serves.
 */
async function hashOfCommit(
  access: HubAccess,
  repo: string,
  sha: string,
  uploaded: readonly LocalModelFile[],
): Promise<string> {
  const listing = await checkSnapshot(access, repo, sha, Number.MAX_SAFE_INTEGER);
  const sizes = new Map(listing.files.map((f) => [f.path, f.size]));
  for (const file of uploaded) {
    if (sizes.get(file.path) !== file.size) {
      throw new ModelStoreError(
        `After the upload, ${repo}@${sha} holds ${file.path} with ${String(sizes.get(file.path))} bytes instead of ${file.size}`,
      );
    }
  }
  const staging = await mkdtemp(join(tmpdir(), 'pretrain-upload-hash-'));
  try {
    await fetchLoadedFiles(access, repo, sha, listing, staging, {
      local: new Map(uploaded.map((f) => [f.path, f])),
    });
    return await hashModelDirectory(staging);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Upload the model files of `dir` to `repo` in one commit that also deletes files left
 * over from earlier uploads, so the commit holds exactly this model. Returns the commit
 * sha and the subnet hash of that commit (salted with `options.hotkey` when given).
 */
export async function uploadToHub(
  access: HubAccess,
  dir: string,
  repo: { readonly namespace: string; readonly name: string },
  options: UploadOptions,
): Promise<ModelId> {
  const { accessToken } = access;
  if (accessToken === undefined) {
    throw new ModelStoreError('Uploading to the hub needs an access token', {
      hint: 'give a Hugging Face write token (hf_...) in the config',
    });
  }
  const files = await selectUploadFiles(dir);
  const repoId = `${repo.namespace}/${repo.name}`;
  await ensureRepo({ ...access, accessToken }, repoId);
  const present = await listRepoFiles(access, repoId, 'main');
  const paths = new Set(files.map((f) => f.path));
  const operations: CommitOperation[] = [
    ...(await Promise.all(
      files.map(async (f) => ({
        operation: 'addOrUpdate' as const,
        path: f.path,
        content: await openAsBlob(f.absolutePath),
      })),
    )),
    ...present
      .filter((f) => !paths.has(f.path) && !HUB_MANAGED.has(f.path))
      .map((f) => ({ operation: 'delete' as const, path: f.path })),
  ];
  let sha: string | undefined;
  try {
    const output = await commit({
      ...access,
      accessToken,
      repo: { type: 'model', name: repoId },
      operations,
      title:
        options.message ??
        `Upload model (${files.filter((f) => classifyModelFile(f.path) === 'safetensors').length} weight files)`,
      useXet: false,
      ...(options.signal === undefined ? {} : { abortSignal: options.signal }),
    });
    sha = output?.commit.oid;
  } catch (error) {
    throw hubFailure(`commit to ${repoId}`, error);
  }
  if (sha === undefined || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new ModelStoreError(
      `The hub answered the commit to ${repoId} without a commit sha (${String(sha)})`,
    );
  }
  const hash = await hashOfCommit(access, repoId, sha, files);
  return {
    namespace: repo.namespace,
    name: repo.name,
    commit: sha,
    hash: options.hotkey === undefined ? hash : saltHash(hash, options.hotkey),
  };
}
