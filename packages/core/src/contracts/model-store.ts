import type { ModelId } from '../model/model-id.js';

/** Options of {@link ModelStore.upload}. */
export interface UploadOptions {
  /** Salt the returned hash with this SS58 hotkey (docs/SUBNET.md §3). */
  readonly hotkey?: string;
  /** Commit message on the hub. */
  readonly message?: string;
  /** Aborts the upload; the promise then rejects. */
  readonly signal?: AbortSignal;
}

/** Options of {@link ModelStore.download}. */
export interface DownloadOptions {
  /** Refuse the repo, before downloading anything, when its files add up to more. */
  readonly maxBytes: number;
  /** Also accept the hash salted with this hotkey. */
  readonly hotkey?: string;
  /** Aborts the download; the promise then rejects. */
  readonly signal?: AbortSignal;
}

/** A model directory written by {@link ModelStore.download}. */
export interface DownloadedModel {
  /** The directory holding the model files (complete: it appears only once verified). */
  readonly path: string;
  /** The directory hash computed from what was written (the subnet hash, unsalted). */
  readonly hash: string;
  /** Total bytes of the files written. */
  readonly bytes: number;
}

/**
 * A remote model store (the Hugging Face hub, or a directory-backed store that keeps
 * immutable commits for local networks).
 */
export interface ModelStore {
  /**
   * Upload the model directory (safetensors, json and tokenizer files only; pickles are
   * refused) to `namespace/name` and return its id with the commit and the subnet hash
   * of that commit: the hash of only the files a model load reads (config.json,
   * generation_config.json, the safetensors weights; docs/SUBNET.md §3).
   */
  upload(
    dir: string,
    repo: { readonly namespace: string; readonly name: string },
    options?: UploadOptions,
  ): Promise<ModelId>;
  /**
   * Download the files of `id` at `id.commit` that a model load reads into `dest` (which
   * must not exist yet); the size limit counts every file of the commit. Rejects with a
   * `ModelRejectedError` for an oversize repo, odd or traversal paths, a pickle-only
   * repo, a repo no model load can read (`corrupt`), a missing commit or a hash other
   * than `id.hash`.
   */
  download(id: ModelId, dest: string, options: DownloadOptions): Promise<DownloadedModel>;
}
