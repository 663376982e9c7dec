// The onnx backend, except for models that ask to misbehave: a model whose config.json
// says "e2e_behaviour": "hang" spins its evaluation process forever, "crash" aborts it.
// It stands for a competitor's model that makes a backend hang or die, so the end-to-end
// tests can check that the validator kills, scores +inf and goes on. A real plugin: the
// validator loads it by path in each child process, as it would any third-party backend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnx from '@pretrain/backend-onnx';

function behaviourOf(dir) {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).e2e_behaviour;
}

export default {
  meta: { name: 'e2e-trigger', version: '0.0.0', apiVersion: 1 },
  async createLossBackend(options) {
    const inner = await onnx.createLossBackend(options);
    return {
      name: 'e2e-trigger',
      capabilities: inner.capabilities,
      async load(spec) {
        const behaviour = behaviourOf(spec.dir);
        if (behaviour === 'hang') for (;;);
        if (behaviour === 'crash') process.abort();
        return inner.load(spec);
      },
      dispose: () => inner.dispose(),
    };
  },
};
