// Build the addon with node-gyp when this machine can: a C++ compiler, make, python3
// and OpenBLAS. Without them it builds nothing, says what to install and exits 0, so a
// workspace build never fails because of this package (`--strict` makes it exit 1).
// Skips the compile when build/Release/pretrain_native.node is newer than its sources.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOpenBlas } from './native-flags.mjs';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const addon = join(packageDir, 'build', 'Release', 'pretrain_native.node');
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

function upToDate() {
  if (force || !existsSync(addon)) return false;
  const built = statSync(addon).mtimeMs;
  const sources = [
    join(packageDir, 'binding.gyp'),
    ...readdirSync(join(packageDir, 'native')).map((f) => join(packageDir, 'native', f)),
  ];
  return sources.every((file) => statSync(file).mtimeMs < built);
}

function skip(why) {
  console.warn(
    `backend-native: addon not built: ${why}.\n  Install: ${INSTALL}\n  Then rebuild: npm run build:native`,
  );
  process.exit(strict ? 1 : 0);
}

if (upToDate()) {
  console.log(`backend-native: ${addon} is up to date`);
  process.exit(0);
}
const compiler = ['c++', 'g++', 'clang++'].find((c) => works(c));
if (compiler === undefined) skip('no C++ compiler (c++, g++ or clang++) found');
if (!works('make')) skip('make is missing');
if (!works('python3')) skip('python3 (needed by node-gyp) is missing');
if (findOpenBlas() === undefined) skip('OpenBLAS (cblas.h, libopenblas) is missing');
const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) skip('node-gyp was not found (it ships with npm)');
// Distribution Node installs carry their headers in <prefix>/include/node: use them, offline.
const prefix = dirname(dirname(process.execPath));
const nodedir = existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...nodedir], {
  cwd: packageDir,
  stdio: 'inherit',
});
if (result.status !== 0) skip(`node-gyp rebuild failed (exit ${result.status ?? result.signal})`);
console.log(`backend-native: built ${addon}`);
