import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type {
  DownloadedModel,
  DownloadOptions,
  ModelStore,
  UploadOptions,
} from '../contracts/model-store.js';
import { ModelRejectedError, UsageError } from '@pretrain/backend-sdk';
import { hashPretrainedFileSet, saltHash } from '../model/model-hash.js';
import type { ModelId } from '../model/model-id.js';
import { validateRepoId } from '../model/model-id-codec.js';
import { commitShaOf } from './directory-model-store-commit.js';
import { checkRepoListing, repoNameProblem } from './download-guards.js';
import { finishDownload, listLocalFiles, selectUploadFiles, stageDownload } from './download-guards-files.js';
import { selectLoadedFiles } from './select-loaded-files.js';

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/**
 * The embedded {@link ModelStore}: a directory that keeps every upload as an immutable,
 * content-addressed commit, for local networks and demos that have no hub.
 *
 * Layout: `<root>/<namespace>/<name>/commits/<sha>/<files>` plus `refs/main` holding the
 * newest sha. `<sha>` is a git-like sha1 of the file listing (path, size, sha256 of each
 * file), so the same files always give the same commit. Downloads pass the same guards
 * as the hub store (names, size before copying, pickles, hash), copy only the files a
 * model load reads, as the hub store does, and appear atomically.
 */
export class DirectoryModelStore implements ModelStore {
  /** @param root Directory holding the repos; created on the first upload. */
  constructor(readonly root: string) {}

  /** The directory of `commit` in `namespace/name` (whether it exists or not). */
  commitPath(repo: { readonly namespace: string; readonly name: string }, commit: string): string {
    return join(this.root, repo.namespace, repo.name, 'commits', commit);
  }

  async upload(
    dir: string,
    repo: { readonly namespace: string; readonly name: string },
    options: UploadOptions = {},
  ): Promise<ModelId> {
    const { namespace, name } = validateRepoId(`${repo.namespace}/${repo.name}`);
    const problem = repoNameProblem(repo);
    if (problem !== undefined) throw new UsageError(`Cannot upload to ${namespace}/${name}: ${problem}`);
    const files = await selectUploadFiles(dir);
    const commit = await commitShaOf(files);
    const target = this.commitPath({ namespace, name }, commit);
    if (!(await exists(target))) {
      const staging = join(dirname(target), `.tmp-${randomUUID()}`);
      try {
        for (const file of files) {
          options.signal?.throwIfAborted();
          const to = join(staging, file.path);
          await mkdir(dirname(to), { recursive: true });
          await copyFile(file.absolutePath, to);
          await chmod(to, 0o444);
        }
        await rename(staging, target).catch(async (error: unknown) => {
          // A concurrent upload of identical files won the race: same sha, same content.
          if (!(await exists(target))) throw error;
        });
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    }
    await writeAtomically(join(this.root, namespace, name, 'refs', 'main'), `${commit}\n`);
    // The subnet hash covers only what a model load reads, not tokenizer files beside it.
    const hash = await hashPretrainedFileSet(target);
    return {
      namespace,
      name,
      commit,
      hash: options.hotkey === undefined ? hash : saltHash(hash, options.hotkey),
    };
  }

  async download(id: ModelId, dest: string, options: DownloadOptions): Promise<DownloadedModel> {
    const label = `${id.namespace}/${id.name}@${id.commit ?? 'None'}`;
    const badName = repoNameProblem(id);
    if (badName !== undefined) {
      throw new ModelRejectedError('bad-path', `Model ${label} has an unusable repo id: ${badName}`);
    }
    const commitDir = COMMIT_SHA.test(id.commit ?? '') ? this.commitPath(id, id.commit as string) : undefined;
    if (commitDir === undefined || !(await exists(commitDir))) {
      throw new ModelRejectedError('missing-commit', `Model store ${this.root} has no commit ${label}`, {
        hint: 'the commitment names a commit that was never uploaded',
      });
    }
    const listed = await listLocalFiles(commitDir);
    const repo = `${id.namespace}/${id.name}`;
    const sources = new Map(listed.map((f) => [f.path, f.absolutePath]));
    const { files, downloadBytes } = await selectLoadedFiles(
      repo,
      checkRepoListing(repo, listed, options.maxBytes),
      (entry) => readFile(sources.get(entry.path) as string, 'utf8'),
    );
    const staging = await stageDownload(dest);
    try {
      for (const file of files) {
        options.signal?.throwIfAborted();
        const to = join(staging, file.path);
        await mkdir(dirname(to), { recursive: true });
        // copyFile reads through symlinks, so the copy holds real files.
        await copyFile(sources.get(file.path) as string, to);
        await chmod(to, 0o644);
      }
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    const hash = await finishDownload(staging, dest, { label, expected: id.hash, hotkey: options.hotkey });
    return { path: dest, hash, bytes: downloadBytes };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}
