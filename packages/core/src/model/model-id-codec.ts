import { UsageError } from '@pretrain/backend-sdk';
import type { ModelId } from './model-id.js';

/** The whole commitment (compressed {@link ModelId}) must fit in this many UTF-8 bytes. */
export const MAX_COMMITMENT_BYTES = 128;
/** Length of a git commit sha in hex characters. */
export const GIT_COMMIT_LENGTH = 40;
/** Length of a base64 sha256 digest. */
export const SHA256_BASE64_LENGTH = 44;
/** Longest `namespace/name`: 128 − 40 − 44 − 3 separators = 41 characters (docs/SUBNET.md §2). */
export const MAX_REPO_ID_LENGTH = MAX_COMMITMENT_BYTES - GIT_COMMIT_LENGTH - SHA256_BASE64_LENGTH - 3;

/** How an absent field is spelled in the compressed string (Python's `str(None)`). */
const NONE = 'None';
const SEPARATOR = ':';

/**
 * The compressed chain string `namespace:name:commit:hash[:competition_id]`; an absent
 * commit or hash is written as the literal `None`, an absent competition id is omitted.
 */
export function formatModelId(id: ModelId): string {
  const fields = [id.namespace, id.name, id.commit ?? NONE, id.hash ?? NONE];
  if (id.competitionId !== undefined) fields.push(id.competitionId);
  return fields.join(SEPARATOR);
}

/**
 * Parse a compressed chain string, or undefined ("no metadata") when it has fewer than 4
 * fields or an empty namespace or name. Never throws: it reads untrusted chain data.
 *
 * As the reference, the first four fields are the id and anything after them never
 * makes the string unreadable: a fifth field is kept as the competition id (absent when
 * empty or `None`), further fields are ignored. Field contents are not checked further
 * here (a bad commit or hash fails later, at download); `None` maps to an absent commit
 * or hash.
 */
export function parseModelId(s: string): ModelId | undefined {
  if (typeof s !== 'string') return undefined;
  const tokens = s.split(SEPARATOR);
  if (tokens.length < 4) return undefined;
  const [namespace, name, commit, hash, competitionId] = tokens as [string, string, string, string, string?];
  if (namespace === '' || name === '') return undefined;
  const present = (v: string | undefined) => (v === undefined || v === NONE ? undefined : v);
  return {
    namespace,
    name,
    commit: present(commit),
    hash: present(hash),
    competitionId: competitionId === '' ? undefined : present(competitionId),
  };
}

/** UTF-8 byte length of a string (what the chain counts). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Split and check a user-given Hugging Face repo id `namespace/name`: exactly one `/`,
 * longer than 3 and at most {@link MAX_REPO_ID_LENGTH} characters (as the reference's
 * `validate_hf_repo_id`, counting code points like Python's `len`). Also refuses empty
 * parts and `:`, which no hub repo has and which would corrupt the chain string.
 *
 * @throws UsageError with a hint when the id is not acceptable.
 */
export function validateRepoId(repo: string): { namespace: string; name: string } {
  const hint = 'give the repo as <user or org>/<name>, e.g. my-user/my-model (at most 41 characters)';
  const length = [...repo].length;
  if (length <= 3 || length > MAX_REPO_ID_LENGTH) {
    throw new UsageError(
      `repo id '${repo}' has ${length} characters; expected more than 3 and at most ${MAX_REPO_ID_LENGTH}`,
      { hint },
    );
  }
  const parts = repo.split('/');
  if (parts.length !== 2) {
    throw new UsageError(`repo id '${repo}' must contain exactly one '/'`, { hint });
  }
  const [namespace, name] = parts as [string, string];
  if (namespace === '' || name === '') {
    throw new UsageError(`repo id '${repo}' has an empty namespace or name`, { hint });
  }
  if (repo.includes(SEPARATOR)) {
    throw new UsageError(`repo id '${repo}' contains ':', which separates fields on chain`, { hint });
  }
  return { namespace, name };
}

/**
 * Check a model id before committing it: a valid repo id, a 40-hex commit, a 44-char
 * base64 hash, no `:` in the competition id, and a compressed string of at most
 * {@link MAX_COMMITMENT_BYTES} UTF-8 bytes. Returns the compressed string.
 *
 * @throws UsageError naming the offending field.
 */
export function validateCommitment(id: ModelId): string {
  validateRepoId(`${id.namespace}/${id.name}`);
  if (id.commit === undefined || !/^[0-9a-f]{40}$/.test(id.commit)) {
    throw new UsageError(`commit '${id.commit ?? NONE}' is not a 40-character lowercase hex git sha`, {
      hint: 'commit the model to the hub first and use the commit sha it returns',
    });
  }
  if (id.hash === undefined || !/^[A-Za-z0-9+/]{43}=$/.test(id.hash)) {
    throw new UsageError(`hash '${id.hash ?? NONE}' is not a 44-character base64 sha256`, {
      hint: 'compute it with `pretrain model hash <dir>`',
    });
  }
  if (id.competitionId !== undefined && (id.competitionId === '' || id.competitionId.includes(SEPARATOR))) {
    throw new UsageError(`competition id '${id.competitionId}' must be non-empty and contain no ':'`);
  }
  const compressed = formatModelId(id);
  const bytes = utf8Length(compressed);
  if (bytes > MAX_COMMITMENT_BYTES) {
    throw new UsageError(
      `commitment '${compressed}' is ${bytes} bytes; the chain allows ${MAX_COMMITMENT_BYTES}`,
      {
        hint: 'use a shorter repo id',
      },
    );
  }
  return compressed;
}
