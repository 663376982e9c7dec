import { describeBackendConformance } from '@pretrain/conformance/vitest';
import tfjsPlugin from './index.js';

// The whole suite, nothing excluded: fp32 compute, so goldens within 1e-5 relative.
describeBackendConformance(tfjsPlugin);
