// A real backend plugin (it satisfies the LossBackendPlugin contract) whose models
// misbehave on purpose, to test the validator's child-process isolation. The option
// `behaviour` picks how: 'hang' spins the CPU forever, 'crash' aborts the process,
// 'exit' exits cleanly without answering, 'throw' fails loading like a damaged model.
export default {
  meta: { name: 'misbehaving', version: '0.0.0', apiVersion: 1 },
  async createLossBackend(options) {
    const behaviour = options.behaviour;
    return {
      name: 'misbehaving',
      capabilities: {
        families: ['gpt2', 'llama', 'gpt-neox'],
        dtypes: ['F32'],
        devices: ['cpu'],
        runtime: 'none',
      },
      async load(spec) {
        if (behaviour === 'throw') throw new Error(`cannot load ${spec.architecture}: weights look damaged`);
        return {
          spec,
          async greedy() {
            if (behaviour === 'hang') for (;;);
            if (behaviour === 'crash') {
              process.stderr.write('misbehaving plugin: aborting\n');
              process.abort();
            }
            if (behaviour === 'exit') process.exit(0);
            return [];
          },
          async losses() {
            return [];
          },
          async dispose() {},
        };
      },
      async dispose() {},
    };
  },
};
