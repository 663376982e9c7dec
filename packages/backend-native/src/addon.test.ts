import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDON_PATH, openAddon } from './addon.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const fingerprints = createRequire(import.meta.url)('../scripts/source-fingerprint.cjs') as {
  sourceFingerprint(packageDir: string, which: 'addon' | 'emulator'): string;
  staleReason(packageDir: string, which: 'addon' | 'emulator', addonPath: string): string | undefined;
};
const dir = mkdtempSync(join(tmpdir(), 'pretrain-native-addon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the record of the sources an addon was built from', () => {
  // A package of our own: binding.gyp and two sources, and an "addon" built from them.
  const pkg = join(dir, 'pkg');
  const addon = join(pkg, 'build', 'Release', 'x.node');
  const write = (file: string, text: string) => {
    const path = join(pkg, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  write('binding.gyp', '{}');
  write('native/model.cc', 'int forward() { return 1; }');
  write('native/cuda/kernels.cu', '__global__ void k() {}');
  write('build/Release/x.node', 'binary');

  it('accepts the addon only while the sources are the ones recorded at its build', () => {
    expect(fingerprints.staleReason(pkg, 'addon', addon)).toMatch(/no record of the sources/);
    writeFileSync(
      join(pkg, 'build', 'Release', 'x.sources'),
      `${fingerprints.sourceFingerprint(pkg, 'addon')}\n`,
    );
    expect(fingerprints.staleReason(pkg, 'addon', addon)).toBeUndefined();

    write('native/model.cc', 'int forward() { return 2; }'); // a source edited after the build
    expect(fingerprints.staleReason(pkg, 'addon', addon)).toMatch(/stale build/);
    write('native/model.cc', 'int forward() { return 1; }');
    expect(fingerprints.staleReason(pkg, 'addon', addon)).toBeUndefined();

    write('native/cuda/attention.cu', ''); // a source added (in a folder the addon compiles)
    expect(fingerprints.staleReason(pkg, 'addon', addon)).toMatch(/stale build/);
  });

  it('names the file and its bytes, so moving bytes between files changes it', () => {
    const before = fingerprints.sourceFingerprint(pkg, 'addon');
    write('native/a.cc', 'xy');
    write('native/b.cc', '');
    const split = fingerprints.sourceFingerprint(pkg, 'addon');
    write('native/a.cc', 'x');
    write('native/b.cc', 'y');
    expect(fingerprints.sourceFingerprint(pkg, 'addon')).not.toBe(split);
    expect(split).not.toBe(before);
  });
});

describe.runIf(existsSync(ADDON_PATH))('openAddon', () => {
  it('refuses the package’s addon when its record does not match the package’s sources, before loading it', () => {
    const copy = join(dir, 'copy.node');
    copyFileSync(ADDON_PATH, copy);
    expect(openAddon(copy).reason).toMatch(/must be rebuilt: .*no record of the sources/);
    writeFileSync(join(dir, 'copy.sources'), '0'.repeat(64));
    expect(openAddon(copy).reason).toMatch(/must be rebuilt: .*stale build/);
    writeFileSync(join(dir, 'copy.sources'), fingerprints.sourceFingerprint(PACKAGE_DIR, 'addon'));
    const { addon, reason } = openAddon(copy);
    expect(reason).toBeUndefined();
    expect(typeof addon?.NativeModel).toBe('function');
  });
});
