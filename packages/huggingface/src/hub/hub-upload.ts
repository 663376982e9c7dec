import { openAsBlob } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
import { checkSnapshot, fetchSnapshot, hubFailure, listRepoFiles, type HubAccess } from './hub-download.js';

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
 * The directory hash of `repo@sha` as a validator will compute it after downloading:
 * the uploaded files are linked from their local copies (no re-download), and any file
 * the hub holds besides them (`.gitattributes`) is fetched, so the hash covers exactly
 * the commit.
 */
async function hashOfCommit(
  access: HubAccess,
  repo: string,
  sha: string,
  uploaded: readonly LocalModelFile[],
): Promise<string> {
  const listing = await checkSnapshot(access, repo, sha, Number.MAX_SAFE_INTEGER);
  const local = new Map(uploaded.map((f) => [f.path, f]));
  for (const file of uploaded) {
    const remote = listing.files.find((f) => f.path === file.path);
    if (remote?.size !== file.size) {
      throw new ModelStoreError(
        `After the upload, ${repo}@${sha} holds ${file.path} with ${String(remote?.size)} bytes instead of ${file.size}`,
      );
    }
  }
  const staging = await mkdtemp(join(tmpdir(), 'pretrain-upload-hash-'));
  try {
    const extras = { ...listing, files: listing.files.filter((f) => !local.has(f.path)) };
    await fetchSnapshot(access, repo, sha, extras, staging);
    for (const file of uploaded) {
      await mkdir(dirname(join(staging, file.path)), { recursive: true });
      await symlink(file.absolutePath, join(staging, file.path));
    }
    return await hashModelDirectory(staging);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Upload the model files of `dir` to `repo` in one commit that also deletes files left
 * over from earlier uploads, so the commit holds exactly this model. Returns the commit
 * sha and the hash of that commit (salted with `options.hotkey` when given).
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
