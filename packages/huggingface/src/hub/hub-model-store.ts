import {
  finishDownload,
  ModelRejectedError,
  repoNameProblem,
  stageDownload,
  UsageError,
  validateRepoId,
  type DownloadedModel,
  type DownloadOptions,
  type ModelId,
  type ModelStore,
  type UploadOptions,
} from '@pretrain/core';
import { createRetryingFetch, type RetryPolicy } from '../http/retrying-fetch.js';
import { checkSnapshot, fetchLoadedFiles, type HubAccess } from './hub-download.js';
import { uploadToHub } from './hub-upload.js';

/** The public Hugging Face hub. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** Options of {@link HubModelStore}. */
export interface HubModelStoreOptions {
  /** Hub base URL (default {@link DEFAULT_HUB_URL}); a local test server in tests. */
  readonly hubUrl?: string;
  /** Access token (`hf_...`); needed to upload and for private repos. Never read from the environment. */
  readonly accessToken?: string;
  /** Retries of 5xx, 429, network errors and timeouts. */
  readonly retry?: RetryPolicy;
  /** The fetch to use under the retries (default: the global one). */
  readonly fetch?: typeof fetch;
}

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/**
 * A {@link ModelStore} over the Hugging Face hub (`@huggingface/hub`).
 *
 * Upload: creates the repo when needed and commits the safetensors, JSON and tokenizer
 * files of a directory (pickles refused), returning the commit and the subnet hash of
 * that commit (the files a model load reads, docs/SUBNET.md §3). Download:
 * confirms the commit, lists the files with their sizes and refuses a repo over
 * `maxBytes` (all its files count) or with hostile names before fetching anything,
 * fetches only the files a model load reads, as real files (no cache symlinks), into a
 * staging directory beside `dest`, verifies the hash (plain or salted) and renames it
 * into place. Requests are retried with backoff.
 */
export class HubModelStore implements ModelStore {
  private readonly access: HubAccess;

  constructor(options: HubModelStoreOptions = {}) {
    if (options.accessToken !== undefined && !options.accessToken.startsWith('hf_')) {
      throw new UsageError('The Hugging Face access token does not start with hf_', {
        hint: 'create a token at https://huggingface.co/settings/tokens and pass it unchanged',
      });
    }
    const retry = options.retry ?? {};
    this.access = {
      hubUrl: (options.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, ''),
      accessToken: options.accessToken,
      stallTimeoutMs: retry.timeoutMs ?? 60_000,
      // A commit POST is not idempotent: sending it twice could create two commits.
      fetch: createRetryingFetch({
        ...retry,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        canRetry: (url, init) => !(init?.method === 'POST' && /\/commit\/[^/]+$/.test(new URL(url).pathname)),
      }),
    };
  }

  /** The hub this store talks to. */
  get hubUrl(): string {
    return this.access.hubUrl;
  }

  async upload(
    dir: string,
    repo: { readonly namespace: string; readonly name: string },
    options: UploadOptions = {},
  ): Promise<ModelId> {
    validateRepoId(`${repo.namespace}/${repo.name}`);
    const problem = repoNameProblem(repo);
    if (problem !== undefined)
      throw new UsageError(`Cannot upload to ${repo.namespace}/${repo.name}: ${problem}`);
    return uploadToHub(this.access, dir, repo, options);
  }

  async download(id: ModelId, dest: string, options: DownloadOptions): Promise<DownloadedModel> {
    const repo = `${id.namespace}/${id.name}`;
    const label = `${repo}@${id.commit ?? 'None'}`;
    const badName = repoNameProblem(id);
    if (badName !== undefined)
      throw new ModelRejectedError('bad-path', `Model ${label} has an unusable repo id: ${badName}`);
    if (id.commit === undefined || !COMMIT_SHA.test(id.commit)) {
      throw new ModelRejectedError('missing-commit', `Model ${label} does not name a 40-hex commit`, {
        hint: 'a commitment must pin the exact commit',
      });
    }
    const checked = await checkSnapshot(this.access, repo, id.commit, options.maxBytes);
    const staging = await stageDownload(dest);
    const listing = await fetchLoadedFiles(this.access, repo, id.commit, checked, staging, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const hash = await finishDownload(staging, dest, { label, expected: id.hash, hotkey: options.hotkey });
    return { path: dest, hash, bytes: listing.downloadBytes };
  }
}
