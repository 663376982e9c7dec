import { realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { ModelRejectedError, describeFileKind } from '@pretrain/backend-sdk';

/** A file of a model directory after {@link resolveConfinedFile}: where to read it, and its size. */
export interface ConfinedFile {
  /** The real path (every link resolved); read from here, not from the link. */
  readonly realPath: string;
  readonly size: number;
}

/**
 * Resolve `absolute` (the entry `path` of the model directory `dir`, whose real path is
 * `realRoot`) to the regular file it names, refusing anything a model directory must
 * not hand out: a link that resolves outside the directory (a `tokenizer.json` linked to
 * `/etc/passwd` or to a keyfile would otherwise be uploaded or copied), a dangling link,
 * and anything that is not a regular file (directory, FIFO, device, socket). Every path
 * that uploads or copies model files goes through here.
 *
 * @throws ModelRejectedError (`bad-path`) naming the entry and what it is.
 */
export async function resolveConfinedFile(
  realRoot: string,
  absolute: string,
  where: { readonly path: string; readonly dir: string },
): Promise<ConfinedFile> {
  const label = `'${where.path}' in ${where.dir}`;
  const real = await realpath(absolute).catch(() => undefined);
  if (real === undefined) {
    throw new ModelRejectedError('bad-path', `${label} is a link to nothing (or cannot be resolved)`, {
      hint: 'model directories hold regular files only',
    });
  }
  if (!real.startsWith(realRoot + sep)) {
    throw new ModelRejectedError('bad-path', `${label} links outside the model directory, to ${real}`, {
      hint: 'only files inside the model directory are uploaded or copied: copy the file in (e.g. `cp -L`) instead of linking it',
    });
  }
  const info = await stat(real);
  if (!info.isFile()) {
    throw new ModelRejectedError('bad-path', `${label} is ${describeFileKind(info)}, not a regular file`, {
      hint: 'model directories hold regular files only',
    });
  }
  return { realPath: real, size: info.size };
}
