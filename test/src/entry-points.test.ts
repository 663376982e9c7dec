import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Bare packages imported by `entry` and every module it reaches through relative imports. */
function reachablePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pattern =
    /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe('entry points of @pretrain/conformance', () => {
  it('the root runs cases without a test framework', () => {
    const imported = [...reachablePackages('index.ts')];
    expect(imported.filter((p) => p === 'vitest' || p.startsWith('vitest/'))).toEqual([]);
    expect(imported).toContain('@pretrain/core');
  });

  it('/vitest is the one that registers with vitest', () => {
    expect(reachablePackages('vitest.ts')).toContain('vitest');
  });
});
