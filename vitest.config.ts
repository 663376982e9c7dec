import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source, so `vitest` needs no prior build.
const src = (dir: string) => fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@pretrain/backend-sdk': src('packages/backend-sdk'),
      '@pretrain/core/testing': fileURLToPath(
        new URL('./packages/core/src/validator/testing/index.ts', import.meta.url),
      ),
      '@pretrain/core': src('packages/core'),
      '@pretrain/subtensor': src('packages/subtensor'),
      '@pretrain/devnet': src('packages/devnet'),
      '@pretrain/huggingface/testing': fileURLToPath(
        new URL('./packages/huggingface/src/testing/index.ts', import.meta.url),
      ),
      '@pretrain/huggingface': src('packages/huggingface'),
      '@pretrain/backend-onnx': src('packages/backend-onnx'),
      '@pretrain/backend-tfjs': src('packages/backend-tfjs'),
      '@pretrain/backend-native': src('packages/backend-native'),
      // Subpaths before their package: an alias also matches `<key>/...`.
      '@pretrain/conformance/vitest': fileURLToPath(new URL('./test/src/vitest.ts', import.meta.url)),
      '@pretrain/conformance': src('test'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
