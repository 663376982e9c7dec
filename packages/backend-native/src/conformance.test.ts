import { describeBackendConformance } from '@pretrain/conformance/vitest';
import { describe } from 'vitest';
import { loadAddon, NATIVE_BUILD_HINT } from './addon.js';
import nativePlugin from './index.js';
import { describeTinyRandomOracle } from './tiny-random-oracle.test-support.js';

// CI installs libopenblas-dev and builds the addon: there a missing build is a failure.
// Elsewhere the suite runs whenever the addon is built (`npm run build:native`).
const { addon, reason } = loadAddon();
if (addon === undefined && process.env.CI === 'true')
  throw new Error(`${reason ?? ''}: ${NATIVE_BUILD_HINT}`);

// The whole suite, nothing excluded: fp32 compute, so goldens within 1e-5 relative.
describe.runIf(addon !== undefined)('native addon built', () => {
  describeBackendConformance(nativePlugin);
  describeTinyRandomOracle(nativePlugin, {}, 1e-5);
});
