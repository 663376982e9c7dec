import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// Every workspace package must be publishable as built: `npm pack` of it holds the built
// JS and its .d.ts, no tests or TypeScript sources, entry points that exist, and
// dependencies that cover every package its JS imports.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  main?: string;
  types?: string;
  files?: string[];
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface Packed {
  files: { path: string; mode: number }[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const workspaces = readJson<{ workspaces: string[] }>(join(ROOT, 'package.json')).workspaces;
const manifests = new Map(
  workspaces.map((dir) => [dir, readJson<Manifest>(join(ROOT, dir, 'package.json'))]),
);
const packs = new Map<string, Packed>();
const core = manifests.get('packages/core');
const sdk = manifests.get('packages/backend-sdk');
const BACKENDS = new Set(['@pretrain/backend-onnx', '@pretrain/backend-tfjs', '@pretrain/backend-native']);

beforeAll(async () => {
  // `npm test` builds first; a bare `vitest run` on a fresh clone builds here.
  const unbuilt = [...manifests].filter(
    ([dir, m]) => !existsSync(join(ROOT, dir, m.main ?? 'dist/index.js')),
  );
  if (unbuilt.length > 0) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
  }
  await Promise.all(
    workspaces.map(async (dir) => {
      const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: join(ROOT, dir),
      });
      packs.set(dir, (JSON.parse(stdout) as Packed[])[0]!);
    }),
  );
});

/** Whether `version` is inside `range` (the forms this repo uses: exact, ^, ~, *). */
function satisfies(version: string, range: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const match = /^([~^]?)(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (range === '*') return true;
  if (!match) throw new Error(`unsupported range ${range}`);
  const [, op, a, b, c] = match.map((m, i) => (i > 1 ? Number(m) : m)) as [
    string,
    string,
    number,
    number,
    number,
  ];
  const atLeast = major > a || (major === a && (minor > b || (minor === b && patch >= c)));
  if (op === '') return major === a && minor === b && patch === c;
  if (op === '~' || (op === '^' && a === 0)) return atLeast && major === a && minor === b;
  return atLeast && major === a;
}

/** Relative imports of the packed JS files that point at files missing from the pack. */
function danglingImports(dir: string, files: string[]): string[] {
  const packed = new Set(files);
  const pattern =
    /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm;
  const dangling: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(ROOT, dir, file), 'utf8');
    for (const match of text.matchAll(pattern)) {
      const target = posix.join(posix.dirname(file), match[1] ?? match[2]!);
      if (!packed.has(target)) dangling.push(`${file} → ${target}`);
    }
  }
  return dangling;
}

/** Bare package names imported by the built JS files of a pack. */
function importedPackages(dir: string, files: string[]): Set<string> {
  const names = new Set<string>();
  // Static imports/re-exports at the start of a statement, side-effect imports, literal dynamic imports.
  const patterns = [
    /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"$]+)['"]\s*\)/g,
  ];
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(ROOT, dir, file), 'utf8');
    for (const [, specifier] of patterns.flatMap((pattern) => [...text.matchAll(pattern)])) {
      if (
        !specifier ||
        specifier.startsWith('.') ||
        specifier.startsWith('node:') ||
        specifier.startsWith('/')
      )
        continue;
      const parts = specifier.split('/');
      const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      if (!builtinModules.includes(name)) names.add(name);
    }
  }
  return names;
}

describe.each(workspaces)('package in %s', (dir) => {
  const manifest = manifests.get(dir)!;
  const paths = () => packs.get(dir)!.files.map((f) => f.path);

  it('is a public ESM package with types-first exports whose targets are packed', () => {
    expect(manifest.name).toMatch(/^@pretrain\//);
    expect(manifest.private).toBeUndefined();
    expect(manifest.type).toBe('module');
    const root = manifest.exports?.['.'] as Record<string, string>;
    expect(Object.keys(root)[0]).toBe('types');
    const targets = [manifest.main, manifest.types, root.types, root.import, root.default].filter(Boolean);
    for (const target of targets) expect(paths()).toContain(target!.replace(/^\.\//, ''));
  });

  it('packs built JS with a .d.ts beside each module, a README, and no tests or sources', () => {
    const files = paths();
    expect(files).toContain('package.json');
    expect(files, `${manifest.name} packs no README.md`).toContain('README.md');
    const js = files.filter((f) => f.endsWith('.js') && f.startsWith('dist/'));
    expect(js.length).toBeGreaterThan(0);
    for (const file of js) expect(files, `${file} has no .d.ts`).toContain(file.replace(/\.js$/, '.d.ts'));
    // A generator's template/ holds the sources (and test) it writes for its user: data, not ours.
    const unwanted = files.filter(
      (f) =>
        !f.startsWith('template/') &&
        (/\.test\.|\.test-d\.|tsbuildinfo|(^|\/)__tests__\//.test(f) ||
          (/\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f))),
    );
    expect(unwanted, `${manifest.name} packs tests or sources`).toEqual([]);
  });

  it('is publishable: LICENSE, CHANGELOG, real or no URLs, engines, a default condition', () => {
    expect(paths()).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md']));
    expect(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')).not.toMatch(/example\.invalid/);
    expect((manifest as { engines?: { node?: string } }).engines?.node).toMatch(/\d/);
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target as object), `${manifest.name} ${subpath}`).toContain('default');
    }
  });

  it('packs source maps that resolve: every source inlined', () => {
    const maps = paths().filter((f) => f.endsWith('.map'));
    for (const file of maps) {
      const map = readJson<{ sources: string[]; sourcesContent?: (string | null)[] }>(join(ROOT, dir, file));
      expect(map.sourcesContent?.length, `${file} inlines no sources`).toBe(map.sources.length);
      expect(
        map.sourcesContent?.every((c) => typeof c === 'string'),
        file,
      ).toBe(true);
    }
  });

  it('packs every module its built JS imports relatively', () => {
    expect(danglingImports(dir, paths()), `${manifest.name} imports unpacked files`).toEqual([]);
  });

  it('declares every package its built JS imports', () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      manifest.name,
    ]);
    const missing = [...importedPackages(dir, paths())].filter((name) => !declared.has(name));
    expect(missing, `${manifest.name} imports undeclared packages`).toEqual([]);
  });

  it('depends on workspace packages with ranges their versions satisfy', () => {
    const all = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const [name, range] of Object.entries(all)) {
      const target = [...manifests.values()].find((m) => m.name === name);
      if (target)
        expect(satisfies(target.version, range), `${name}@${range} vs ${target.version}`).toBe(true);
    }
  });

  // Backends build on the SDK alone; the SDK and the template generator on nothing of ours.
  const host = BACKENDS.has(manifest.name)
    ? sdk
    : ['@pretrain/core', '@pretrain/cli', '@pretrain/backend-sdk', '@pretrain/create-backend'].includes(
          manifest.name,
        )
      ? undefined
      : core;
  if (host !== undefined) {
    it(`takes ${host.name} as a peer dependency, not a dependency`, () => {
      expect(manifest.peerDependencies?.[host.name]).toBeDefined();
      expect(manifest.dependencies?.[host.name]).toBeUndefined();
      expect(satisfies(host.version, manifest.peerDependencies![host.name]!)).toBe(true);
    });
  }
  if (BACKENDS.has(manifest.name) || manifest.name === '@pretrain/backend-sdk') {
    it('depends on no @pretrain package but the SDK', () => {
      const all = { ...manifest.dependencies, ...manifest.peerDependencies };
      expect(
        Object.keys(all).filter((n) => n.startsWith('@pretrain/') && n !== '@pretrain/backend-sdk'),
      ).toEqual([]);
    });
  }
});

describe('the pretrain binary', () => {
  it('is packed executable with a node shebang', () => {
    const cli = manifests.get('packages/cli')!;
    const bin = cli.bin?.pretrain?.replace(/^\.\//, '');
    const entry = packs.get('packages/cli')!.files.find((f) => f.path === bin);
    expect(entry).toBeDefined();
    expect(entry!.mode & 0o111).not.toBe(0);
    expect(readFileSync(join(ROOT, 'packages/cli', bin!), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
