import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where onnxruntime-node's CUDA provider library would be, and whether it is there.
 * The CPU build ships inside the npm package; the CUDA EP is only present when the
 * package was installed with `ONNXRUNTIME_NODE_INSTALL=cuda12` on Linux x64.
 */
export function cudaProvider(): { readonly installed: boolean; readonly path: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
  const path = join(
    packageDir,
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
    'libonnxruntime_providers_cuda.so',
  );
  return { installed: existsSync(path), path };
}

/** How to get the CUDA EP, for error hints. */
export const CUDA_INSTALL_HINT =
  'reinstall onnxruntime-node with its CUDA 12 provider: ' +
  'ONNXRUNTIME_NODE_INSTALL=cuda12 npm install onnxruntime-node (needs internet, Linux x64, CUDA 12 + cuDNN 9)';
