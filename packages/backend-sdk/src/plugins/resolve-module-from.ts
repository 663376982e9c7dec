import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBackendPath } from './is-backend-path.js';

/** A module file found for a specifier, or why none was. */
export type ModuleResolution =
  { readonly found: true; readonly file: string } | { readonly found: false; readonly reason: string };

// ESM import conditions, in Node's priority order for `import`.
const CONDITIONS = new Set(['node', 'import', 'default']);

/**
 * Resolve `specifier` for an `import` made from `cwd`: a path relative to `cwd` (a file,
 * or a package directory read through its `package.json` like an installed one), or a
 * package looked up in the `node_modules` folders Node itself would search from `cwd`
 * (`require.resolve.paths`), entry taken from `exports["."]` (import conditions), else
 * `main`, else `index.js`. Only the named package is looked at: nothing is scanned.
 */
export function resolveModuleFrom(specifier: string, cwd: string): ModuleResolution {
  if (isBackendPath(specifier)) {
    const file = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(cwd, specifier);
    if (!existsSync(file)) return { found: false, reason: `no file at ${file}` };
    if (statSync(file).isDirectory()) {
      // A package directory (`--backend ./my-backend`): its entry, as an installed package's.
      if (existsSync(join(file, 'package.json'))) return packageEntry(file);
      return { found: false, reason: `${file} is a directory without a package.json` };
    }
    if (!statSync(file).isFile()) return { found: false, reason: `${file} is not a file` };
    return { found: true, file };
  }
  const lookup = createRequire(join(cwd, 'noop.js')).resolve.paths(specifier) ?? [];
  const dir = lookup.map((base) => join(base, specifier)).find((d) => existsSync(join(d, 'package.json')));
  if (dir === undefined) return { found: false, reason: `not installed (looked from ${cwd})` };
  return packageEntry(dir);
}

/** The module a package directory's `package.json` names for `import`. */
function packageEntry(dir: string): ModuleResolution {
  let manifest: { exports?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    return { found: false, reason: `unreadable ${join(dir, 'package.json')}: ${(error as Error).message}` };
  }
  const target = manifest.exports === undefined ? legacyEntry(manifest.main) : exportTarget(manifest.exports);
  if (target === undefined)
    return { found: false, reason: `${dir}/package.json exports no "." entry for import` };
  const file = resolve(dir, target);
  if (!existsSync(file)) return { found: false, reason: `its entry ${file} is missing (package not built?)` };
  return { found: true, file };
}

function legacyEntry(main: unknown): string {
  return typeof main === 'string' && main !== '' ? main : 'index.js';
}

// `exports` may be a string, an array of fallbacks, a subpath map or a conditions map.
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string' || Array.isArray(exports)) return conditional(exports);
  if (typeof exports !== 'object' || exports === null) return undefined;
  const keys = Object.keys(exports);
  const map = exports as Record<string, unknown>;
  return keys.some((k) => k.startsWith('.')) ? conditional(map['.']) : conditional(map);
}

function conditional(target: unknown): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target : undefined;
  if (Array.isArray(target)) {
    for (const entry of target) {
      const found = conditional(entry);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target !== 'object' || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = conditional(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
