// A real backend plugin (it satisfies the LossBackendPlugin contract) whose models
// misbehave on purpose, to test the validator's child-process isolation and time limits.
// The option `behaviour` picks how: 'hang' spins the CPU forever in the sanity check,
// 'crash' aborts the process, 'exit' exits cleanly without answering, 'throw' fails
// loading like a damaged model, 'hang-load' never finishes loading, 'script' evaluates.
// 'crash-load' aborts the process while loading.
// Every model waits `loadMs` ms while loading. A 'script' model passes the sanity check
// (its two continuations share no token) and answers the n-th `losses` call with
// `script[n]`: a number, 'NaN', 'Infinity', or 'throw' (that batch fails), after `lossMs` ms.
// `byDir` ({ text: behaviour }) gives a model whose directory path contains `text` that
// behaviour instead, so one evaluator can hold good and bad models (look-ahead tests).
export default {
  meta: { name: 'misbehaving', version: '0.0.0', apiVersion: 1 },
  async createLossBackend(options) {
    const script = options.script ?? [];
    const behaviourOf = (spec) =>
      Object.entries(options.byDir ?? {}).find(([text]) => spec.dir.includes(text))?.[1] ?? options.behaviour;
    return {
      name: 'misbehaving',
      capabilities: {
        families: ['gpt2', 'llama', 'gpt-neox'],
        dtypes: ['F32'],
        devices: ['cpu'],
        runtime: 'none',
      },
      async load(spec) {
        const behaviour = behaviourOf(spec);
        if (behaviour === 'crash-load') {
          process.stderr.write('misbehaving plugin: aborting while loading\n');
          process.abort();
        }
        if (behaviour === 'throw') throw new Error(`cannot load ${spec.architecture}: weights look damaged`);
        if (behaviour === 'hang-load') for (;;);
        await new Promise((resolve) => setTimeout(resolve, options.loadMs ?? 0));
        let calls = 0;
        return {
          spec,
          async greedy(prompts, count) {
            if (behaviour === 'hang') for (;;);
            if (behaviour === 'crash') {
              process.stderr.write('misbehaving plugin: aborting\n');
              process.abort();
            }
            if (behaviour === 'exit') process.exit(0);
            return prompts.map((_, i) => Array.from({ length: count }, (_, k) => i * count + k));
          },
          async losses(batches) {
            await new Promise((resolve) => setTimeout(resolve, options.lossMs ?? 0));
            const entry = script[calls++];
            if (entry === 'throw') throw new Error(`batch ${calls - 1} failed`);
            const loss = entry === 'NaN' ? NaN : entry === 'Infinity' ? Infinity : entry;
            return batches.map(() => loss);
          },
          async dispose() {},
        };
      },
      async dispose() {},
    };
  },
};
