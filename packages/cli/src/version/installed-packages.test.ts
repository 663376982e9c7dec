import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInstalledPackages, PRETRAIN_PACKAGES } from './installed-packages.js';

let root: string;

async function installAt(base: string, name: string, version: string): Promise<void> {
  const dir = join(base, 'node_modules', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version }));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-versions-'));
  await installAt(join(root, 'project'), '@pretrain/core', '1.4.0');
  await installAt(join(root, 'project'), '@pretrain/backend-onnx', '1.2.0');
  await installAt(join(root, 'global'), '@pretrain/cli', '1.5.0');
  await installAt(join(root, 'global'), '@pretrain/core', '1.5.0');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('findInstalledPackages', () => {
  it('finds packages from the working directory and the CLI location, marking missing ones', () => {
    const cliUrl = pathToFileURL(
      join(root, 'global', 'node_modules', '@pretrain', 'cli', 'dist', 'x.js'),
    ).href;
    const found = findInstalledPackages(join(root, 'project'), cliUrl);
    const versions = found.map((p) => `${p.name}@${p.version ?? 'missing'}`);
    expect(versions).toEqual([
      '@pretrain/cli@1.5.0',
      '@pretrain/core@1.4.0',
      '@pretrain/core@1.5.0',
      '@pretrain/backend-sdk@missing',
      '@pretrain/subtensor@missing',
      '@pretrain/devnet@missing',
      '@pretrain/huggingface@missing',
      '@pretrain/backend-onnx@1.2.0',
      '@pretrain/backend-tfjs@missing',
      '@pretrain/backend-native@missing',
      '@pretrain/conformance@missing',
    ]);
    expect(found.find((p) => p.version === '1.4.0')?.dir).toBe(
      join(root, 'project/node_modules/@pretrain/core'),
    );
    expect(new Set(found.map((p) => p.name))).toEqual(new Set(PRETRAIN_PACKAGES));
  });
});
