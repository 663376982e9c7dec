import { describeBackendConformance } from '@pretrain/conformance';
import nativePlugin from './index.js';

// The whole suite, nothing excluded: fp32 compute, so goldens within 1e-5 relative.
// Without the addon every case fails (createLossBackend says what to install): CI builds it.
describeBackendConformance(nativePlugin);
