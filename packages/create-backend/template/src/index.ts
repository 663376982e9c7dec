import { defineBackendPlugin, LOSS_BACKEND_API_VERSION, z } from '@pretrain/backend-sdk';
import { ReferenceBackend } from './reference-backend.js';

const NAME = '__NAME__';

/**
 * The plugin `pretrain --backend` loads: its name, its options (validated by the host and
 * listed by `pretrain backends`) and a factory. Replace the reference backend with your
 * engine; keep the conformance suite green.
 */
export default defineBackendPlugin({
  meta: { name: NAME, version: '0.1.0', apiVersion: LOSS_BACKEND_API_VERSION },
  options: z.object({
    device: z.enum(['cpu']).default('cpu').describe('the reference runs on the CPU only'),
  }),
  async createLossBackend() {
    return new ReferenceBackend(NAME);
  },
  async probe() {
    return { available: true, detail: 'plain TypeScript reference (GPT-2 family), CPU' };
  },
});
