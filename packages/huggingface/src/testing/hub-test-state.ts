import { createHash } from 'node:crypto';

/** A file of a commit held by {@link HubTestState}. */
export interface StoredFile {
  readonly content: Buffer;
  /** sha256 hex of the content when the file is stored in LFS. */
  readonly lfsOid?: string;
}

/** One immutable commit: its sha and the full tree at that point. */
export interface StoredCommit {
  readonly sha: string;
  readonly title: string;
  readonly date: string;
  readonly files: ReadonlyMap<string, StoredFile>;
}

/** A model repo: its commits and the sha that `main` points at. */
export interface StoredRepo {
  readonly id: string;
  readonly commits: Map<string, StoredCommit>;
  head: string;
}

/** Changes of one commit request. */
export interface CommitChanges {
  readonly title: string;
  readonly parentCommit?: string;
  readonly put: ReadonlyMap<string, StoredFile>;
  readonly deleted: readonly string[];
}

const GITATTRIBUTES = Buffer.from('*.safetensors filter=lfs diff=lfs merge=lfs -text\n', 'utf8');

/** Git's blob id: `sha1("blob <size>\0" + content)`. */
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');
}

/** The bytes of the LFS pointer file git keeps in place of an LFS object. */
export function lfsPointer(oid: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`, 'utf8');
}

/**
 * The in-memory content of the hub test double: repos with immutable commits and the
 * LFS object store. Commit shas are sha1s of the tree, parent and a counter, so every
 * commit gets a fresh 40-hex id, as on the hub.
 */
export class HubTestState {
  readonly repos = new Map<string, StoredRepo>();
  /** LFS objects by sha256 hex, as uploaded by PUT. */
  readonly lfsObjects = new Map<string, Buffer>();
  private counter = 0;

  /** Create `namespace/name` with an initial commit holding `.gitattributes`; false when it exists. */
  createRepo(id: string): boolean {
    if (this.repos.has(id)) return false;
    const repo: StoredRepo = { id, commits: new Map(), head: '' };
    this.repos.set(id, repo);
    this.addCommit(repo, 'initial commit', new Map([['.gitattributes', { content: GITATTRIBUTES }]]));
    return true;
  }

  /** The commit `revision` (a branch name `main` or a full sha) of `id`, if any. */
  resolve(id: string, revision: string): StoredCommit | undefined {
    const repo = this.repos.get(id);
    if (repo === undefined) return undefined;
    return repo.commits.get(revision === 'main' || revision === 'HEAD' ? repo.head : revision);
  }

  /**
   * Apply `changes` on top of `main`. Returns the new sha, or `stale` when
   * `parentCommit` is not the head (the hub answers 412 then).
   */
  commit(id: string, changes: CommitChanges): string | 'stale' {
    const repo = this.repos.get(id);
    if (repo === undefined) throw new Error(`no repo ${id}`);
    if (changes.parentCommit !== undefined && changes.parentCommit !== repo.head) return 'stale';
    const files = new Map(repo.commits.get(repo.head)?.files ?? []);
    for (const path of changes.deleted) files.delete(path);
    for (const [path, file] of changes.put) files.set(path, file);
    return this.addCommit(repo, changes.title, files);
  }

  /**
   * Store a commit holding exactly `files`, whatever their names (hostile repos for
   * tests); `.safetensors` and `.bin` files go to LFS. Creates the repo when needed.
   */
  plant(id: string, files: readonly { path: string; content: string | Uint8Array }[]): string {
    this.createRepo(id);
    const tree = new Map<string, StoredFile>();
    for (const file of files) {
      const content = Buffer.from(file.content);
      const lfs = /\.(safetensors|bin)$/.test(file.path);
      const lfsOid = createHash('sha256').update(content).digest('hex');
      if (lfs) this.lfsObjects.set(lfsOid, content);
      tree.set(file.path, lfs ? { content, lfsOid } : { content });
    }
    return this.addCommit(this.repos.get(id) as StoredRepo, 'planted', tree);
  }

  private addCommit(repo: StoredRepo, title: string, files: Map<string, StoredFile>): string {
    const listing = [...files.entries()]
      .map(([path, f]) => `${path}\0${f.lfsOid ?? gitBlobOid(f.content)}`)
      .join('\n');
    const sha = createHash('sha1')
      .update(`${repo.id}\n${repo.head}\n${++this.counter}\n${listing}`)
      .digest('hex');
    repo.commits.set(sha, { sha, title, date: new Date().toISOString(), files });
    repo.head = sha;
    return sha;
  }
}
