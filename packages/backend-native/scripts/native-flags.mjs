// Build flags for binding.gyp, found on this machine: `include` / `libs` for OpenBLAS
// (pkg-config, else the Debian/Ubuntu or plain header locations), `arch` for the SIMD
// level the compiler and this CPU both support, `cuda-sources` / `cuda-libs` for the
// CUDA library build-cuda.mjs made (named in the environment by build-native.mjs).
// Prints space-separated words.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Output of a command, or undefined when it fails. */
function run(command, args, input) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** OpenBLAS `{ include, libs }`, or undefined when it is not installed. */
export function findOpenBlas() {
  const include = run('pkg-config', ['--cflags-only-I', 'openblas']);
  const libs = run('pkg-config', ['--libs', 'openblas']);
  if (include !== undefined && libs !== undefined) {
    return { include: include.replace(/-I/g, '').split(/\s+/).filter(Boolean), libs: libs.split(/\s+/) };
  }
  const candidates = [
    '/usr/include/x86_64-linux-gnu/openblas-pthread',
    '/usr/include/aarch64-linux-gnu/openblas-pthread',
    '/usr/include/openblas',
    '/usr/local/include',
    '/usr/include',
  ];
  const dir = candidates.find((d) => existsSync(`${d}/cblas.h`) && existsSync(`${d}/openblas_config.h`));
  return dir === undefined ? undefined : { include: [dir], libs: ['-lopenblas'] };
}

/** `-march=x86-64-v3` when both the compiler and this CPU support it, else nothing. */
export function archFlags(compiler = 'c++') {
  if (process.arch !== 'x64') return [];
  let cpu = '';
  try {
    cpu = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return [];
  }
  const hasAll = ['avx2', 'fma', 'bmi2', 'f16c', 'movbe'].every((f) => new RegExp(`\\b${f}\\b`).test(cpu));
  if (!hasAll) return [];
  const ok = run(
    compiler,
    ['-march=x86-64-v3', '-x', 'c++', '-fsyntax-only', '-'],
    'int main() { return 0; }\n',
  );
  if (ok !== undefined) return ['-march=x86-64-v3'];
  const avx = run(
    compiler,
    ['-mavx2', '-mfma', '-mf16c', '-x', 'c++', '-fsyntax-only', '-'],
    'int main() { return 0; }\n',
  );
  return avx !== undefined ? ['-mavx2', '-mfma', '-mf16c'] : [];
}

/** Sources to add: the CPU-only stand-ins when there is no CUDA library to link. */
export function cudaSources(env) {
  return env.PRETRAIN_CUDA_LIB ? [] : ['native/cuda_absent.cc'];
}

/** The CUDA library, then the static CUDA runtime and what it needs from the system. */
export function cudaLibs(env) {
  if (!env.PRETRAIN_CUDA_LIB) return [];
  return [
    env.PRETRAIN_CUDA_LIB,
    `-L${env.PRETRAIN_CUDART_DIR}`,
    '-lcudart_static',
    '-ldl',
    '-lrt',
    '-lpthread',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const what = process.argv[2];
  const blas = findOpenBlas();
  if (what === 'include') console.log((blas?.include ?? []).join(' '));
  else if (what === 'libs') console.log((blas?.libs ?? ['-lopenblas']).join(' '));
  else if (what === 'arch') console.log(archFlags().join(' '));
  else if (what === 'cuda-sources') console.log(cudaSources(process.env).join(' '));
  else if (what === 'cuda-libs') console.log(cudaLibs(process.env).join(' '));
  else {
    console.error('usage: native-flags.mjs include|libs|arch|cuda-sources|cuda-libs');
    process.exit(2);
  }
}
