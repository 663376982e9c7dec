// Build the addon with node-gyp when this machine can: a C++ compiler, make, python3
// and OpenBLAS. Without them it builds nothing, says what to install and exits 0, so a
// workspace build never fails because of this package (`--strict` makes it exit 1).
// With nvcc it first builds the CUDA library (build-cuda.mjs) and links it in; a CUDA
// failure falls back to a CPU-only addon. Then it builds the CUDA emulator addon that the
// tests run the CUDA engine on (emulator/binding.gyp); a failure there only warns. Skips
// each compile when its output is newer than its sources (and, for the addon, was built
// with the same CUDA choice), and writes beside each addon the fingerprint of the sources it
// was built from (source-fingerprint.cjs), which the package checks before loading it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCuda, CUDA_LIBRARY, newerThanAll } from './build-cuda.mjs';
import { findOpenBlas } from './native-flags.mjs';
import sources from './source-fingerprint.cjs';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const addon = join(packageDir, 'build', 'Release', 'pretrain_native.node');
// The same addon with the CUDA engine on a CPU emulator of CUDA and cuBLAS, for tests.
const emulatorDir = join(packageDir, 'emulator');
const emulator = join(emulatorDir, 'build', 'Release', 'pretrain_native_emulator.node');
// What the last build linked: "cuda" or "cpu" (a different choice now means a relink).
const stamp = join(packageDir, 'build', 'Release', 'pretrain_native.device');
const strict = process.argv.includes('--strict');
const force = process.argv.includes('--force');
const INSTALL = 'apt-get install libopenblas-dev g++ make python3 (Debian/Ubuntu)';

function works(command, args = ['--version']) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** node-gyp: a local install, else the copy bundled with npm (found via npm's own path). */
function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(createRequire(join(packageDir, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally: try npm's bundled copy
  }
  const npmCli = process.env.npm_execpath;
  if (npmCli) candidates.push(join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  return candidates.find((c) => existsSync(c));
}

/** Files of `dirs` (relative to native/), not descending. */
function sourcesIn(...dirs) {
  return dirs.flatMap((dir) => {
    const path = join(packageDir, 'native', dir);
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(path, entry.name));
  });
}

/** Whether `output` was built from the sources of `which` now present (its fingerprint matches). */
const builtFromCurrentSources = (which, output) =>
  sources.staleReason(packageDir, which, output) === undefined;
const recordSources = (which, output) =>
  writeFileSync(sources.fingerprintPath(output), `${sources.sourceFingerprint(packageDir, which)}\n`);

function addonUpToDate(device) {
  if (force || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== device) return false;
  if (!builtFromCurrentSources('addon', addon)) return false;
  return newerThanAll(addon, [
    join(packageDir, 'binding.gyp'),
    ...sourcesIn(''),
    ...(device === 'cuda' ? [CUDA_LIBRARY] : []),
  ]);
}

/** Build the emulator addon (tests only; absent from the published package); never fails the build. */
function buildEmulator(gyp) {
  if (!existsSync(join(emulatorDir, 'binding.gyp'))) return;
  const inputs = [join(emulatorDir, 'binding.gyp'), ...sourcesIn('', 'cuda', 'cuda-emulator')];
  if (!force && newerThanAll(emulator, inputs) && builtFromCurrentSources('emulator', emulator)) return;
  const status = gyp(emulatorDir, process.env);
  if (status === 0) {
    recordSources('emulator', emulator);
    console.log(`backend-native: built ${emulator} (the CUDA engine on a CPU emulator, for tests)`);
  } else console.warn(`backend-native: the CUDA emulator addon (tests only) was not built (exit ${status})`);
}

function skip(why) {
  console.warn(
    `backend-native: addon not built: ${why}.\n  Install: ${INSTALL}\n  Then rebuild: npm run build:native`,
  );
  process.exit(strict ? 1 : 0);
}

const compiler = ['c++', 'g++', 'clang++'].find((c) => works(c));
if (compiler === undefined) skip('no C++ compiler (c++, g++ or clang++) found');
if (!works('make')) skip('make is missing');
if (!works('python3')) skip('python3 (needed by node-gyp) is missing');
if (findOpenBlas() === undefined) skip('OpenBLAS (cblas.h, libopenblas) is missing');
const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) skip('node-gyp was not found (it ships with npm)');
const cuda = await buildCuda(process.env, { force });
// Distribution Node installs carry their headers in <prefix>/include/node: use them, offline.
const prefix = dirname(dirname(process.execPath));
const nodedir = existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
const gyp = (cwd, env) =>
  spawnSync(process.execPath, [nodeGyp, 'rebuild', ...nodedir], { cwd, stdio: 'inherit', env }).status;
if (addonUpToDate(cuda ? 'cuda' : 'cpu')) {
  console.log(`backend-native: ${addon} is up to date`);
} else {
  let device = cuda ? 'cuda' : 'cpu';
  let status = gyp(packageDir, cuda ? { ...process.env, ...cuda } : process.env);
  if (status !== 0 && cuda) {
    console.warn('backend-native: linking the CUDA path failed; building the CPU-only addon instead');
    device = 'cpu';
    status = gyp(packageDir, process.env);
  }
  if (status !== 0) skip(`node-gyp rebuild failed (exit ${status})`);
  writeFileSync(stamp, device);
  recordSources('addon', addon);
  console.log(`backend-native: built ${addon} (${device === 'cuda' ? 'CPU and CUDA' : 'CPU only'})`);
}
buildEmulator(gyp);
