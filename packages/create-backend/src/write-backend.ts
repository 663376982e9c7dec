import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The template this package ships (next to `dist/`). */
export const TEMPLATE_DIR = fileURLToPath(new URL('../template/', import.meta.url));

/** Files whose name in the template differs from the one written (npm drops `.gitignore`). */
const RENAMED = new Map([
  ['package.json.tmpl', 'package.json'],
  ['gitignore', '.gitignore'],
]);

/** Options of {@link writeBackendPackage}. */
export interface WriteBackendOptions {
  /** The backend's short name (`--backend <name>`); default: the directory's name. */
  readonly name?: string;
}

/** What {@link writeBackendPackage} wrote. */
export interface WrittenBackend {
  readonly dir: string;
  /** The backend's short name. */
  readonly name: string;
  /** The npm package name, `pretrain-backend-<name>`, found by `--backend <name>` once installed. */
  readonly packageName: string;
  /** The files written, relative to `dir`. */
  readonly files: readonly string[];
}

/**
 * Write a backend package into `dir` (created if missing; refused unless empty): the
 * template with its name and the SDK version filled in.
 *
 * @throws Error with a one-line message for a bad name or a non-empty directory.
 */
export async function writeBackendPackage(
  dir: string,
  options: WriteBackendOptions = {},
): Promise<WrittenBackend> {
  const target = resolve(dir);
  const name = options.name ?? basename(target).replace(/^pretrain-backend-/, '');
  if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(name)) {
    throw new Error(
      `backend name "${name}" must be 1-50 lowercase letters, digits or dashes (give one with --name)`,
    );
  }
  if (existsSync(target) && (await readdir(target)).length > 0) {
    throw new Error(`${target} is not empty: choose a new directory`);
  }
  const version = ownVersion();
  const values = new Map([
    ['__NAME__', name],
    ['__PACKAGE__', `pretrain-backend-${name}`],
    ['__SDK_VERSION__', version],
  ]);
  const files: string[] = [];
  for (const source of await listFiles(TEMPLATE_DIR)) {
    const path = relative(TEMPLATE_DIR, source);
    const written = join(dirname(path), RENAMED.get(basename(path)) ?? basename(path));
    let text = await readFile(source, 'utf8');
    for (const [key, value] of values) text = text.replaceAll(key, value);
    await mkdir(dirname(join(target, written)), { recursive: true });
    await writeFile(join(target, written), text);
    files.push(written);
  }
  return { dir: target, name, packageName: `pretrain-backend-${name}`, files: files.sort() };
}

/** This package's version: the template's @pretrain dependencies are of the same release. */
function ownVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
