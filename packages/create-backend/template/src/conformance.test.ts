import { describeBackendConformance } from '@pretrain/conformance/vitest';
import plugin from './index.js';

// The whole suite: cases for families this backend does not declare are listed as skipped.
describeBackendConformance(plugin);
