import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../../../vitest.config.js';

// `npm run soak` only: the soak is a long run, never part of `npm test`.
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../../../../', import.meta.url)),
  test: {
    ...base.test,
    include: ['test/src/e2e/soak/*.run.ts'],
    hookTimeout: 600_000,
  },
});
