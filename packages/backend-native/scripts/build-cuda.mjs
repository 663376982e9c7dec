// The CUDA half of the native build: when nvcc is found, compile native/cuda into
// build-cuda/libpretrain_cuda.a for binding.gyp to link with the static CUDA runtime.
// Anything missing or failing here only means a CPU-only addon, never a failed install.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const sourceDir = join(packageDir, 'native', 'cuda');
const outDir = join(packageDir, 'build-cuda');
/** The static library binding.gyp links when the CUDA build succeeds. */
export const CUDA_LIBRARY = join(outDir, 'libpretrain_cuda.a');

// SASS for Ampere (sm_80) and Hopper (sm_90), and compute_80 PTX that newer GPUs compile
// at load. PRETRAIN_CUDA_ARCHS="80 89 90" replaces the SASS list.
function archFlags(archs) {
  const list = (archs ?? '80 90').split(/[\s,]+/).filter(Boolean);
  return [
    ...list.flatMap((a) => ['-gencode', `arch=compute_${a},code=sm_${a}`]),
    '-gencode',
    'arch=compute_80,code=compute_80',
  ];
}

/** nvcc from $CUDA_HOME, $CUDA_PATH, PATH or /usr/local/cuda, if one runs. */
function findNvcc(env) {
  const candidates = [
    env.CUDA_HOME && join(env.CUDA_HOME, 'bin', 'nvcc'),
    env.CUDA_PATH && join(env.CUDA_PATH, 'bin', 'nvcc'),
    'nvcc',
    '/usr/local/cuda/bin/nvcc',
  ].filter(Boolean);
  return candidates.find((nvcc) => {
    try {
      execFileSync(nvcc, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** The directory holding libcudart_static.a, from the library paths nvcc itself links with. */
function findCudartDir(nvcc) {
  // nvcc prints its dry run on stderr.
  const result = spawnSync(nvcc, ['--dryrun', '-c', '-x', 'cu', '/dev/null', '-o', '/dev/null'], {
    encoding: 'utf8',
  });
  const dryrun = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const line = dryrun.split('\n').find((l) => l.includes('LIBRARIES=')) ?? '';
  const dirs = [...line.matchAll(/-L"?([^"\s]+)"?/g)].map((m) => m[1]);
  return dirs.find((dir) => existsSync(join(dir, 'libcudart_static.a')));
}

function sources() {
  return readdirSync(sourceDir)
    .filter((f) => /\.(cu|cc)$/.test(f))
    .map((f) => join(sourceDir, f));
}

/** Whether `output` exists and is newer than every one of `inputs`. */
export function newerThanAll(output, inputs) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((file) => statSync(file).mtimeMs < built);
}

/** Newer than every CUDA source and every header it includes (native/*.h, native/cuda/*). */
function upToDate() {
  return newerThanAll(CUDA_LIBRARY, [
    ...readdirSync(sourceDir).map((f) => join(sourceDir, f)),
    ...readdirSync(join(packageDir, 'native'))
      .filter((f) => f.endsWith('.h'))
      .map((f) => join(packageDir, 'native', f)),
    fileURLToPath(import.meta.url),
  ]);
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: packageDir, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Compile every source, a few at a time; true when all compiled. */
async function compileAll(nvcc, archs) {
  const objDir = join(outDir, 'obj');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(objDir, { recursive: true });
  const queue = sources();
  const objects = [];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const object = join(objDir, `${basename(file)}.o`);
      objects.push(object);
      const flags = ['-std=c++17', '-O3', '-Xcompiler', '-fPIC', ...archFlags(archs)];
      if (!(await run(nvcc, [...flags, '-c', file, '-o', object]))) return false;
    }
    return true;
  };
  const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, worker);
  if (!(await Promise.all(workers)).every(Boolean)) return false;
  return run('ar', ['rcs', CUDA_LIBRARY, ...objects]);
}

/**
 * Build the CUDA library when this machine can. Resolves to the environment binding.gyp
 * reads (`PRETRAIN_CUDA_LIB`, `PRETRAIN_CUDART_DIR`), or undefined with the reason printed.
 * `PRETRAIN_NATIVE_CUDA=0` skips it.
 */
export async function buildCuda(env = process.env, { force = false } = {}) {
  const skip = (why) => {
    console.warn(`backend-native: no CUDA path in this build: ${why}`);
    return undefined;
  };
  if (env.PRETRAIN_NATIVE_CUDA === '0') return skip('PRETRAIN_NATIVE_CUDA=0');
  const nvcc = findNvcc(env);
  if (nvcc === undefined) return skip('nvcc was not found (install the CUDA toolkit for --device cuda)');
  const cudartDir = findCudartDir(nvcc);
  if (cudartDir === undefined) return skip(`${nvcc} links with no libcudart_static.a`);
  if (force || !upToDate()) {
    console.log(`backend-native: compiling the CUDA kernels with ${nvcc}`);
    if (!(await compileAll(nvcc, env.PRETRAIN_CUDA_ARCHS))) {
      rmSync(outDir, { recursive: true, force: true });
      return skip('nvcc failed (see above)');
    }
  }
  return { PRETRAIN_CUDA_LIB: CUDA_LIBRARY, PRETRAIN_CUDART_DIR: cudartDir };
}
