import { KNOWN_BACKENDS, validateBackendOptions, type BackendOptionDoc } from '@pretrain/core';
import type { OutputStream } from '../../cli-io.js';
import { backendOptionsFor, rawBackendOptions } from '../../config/index.js';
import { EXIT_USAGE } from '../../errors/report-error.js';
import { writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { describeBackend, type BackendReport } from './describe-backend.js';

/** `pretrain backends [names..] [--backend <name>] [--json]`: which loss backends run here. */
export const backendsCommand = defineCommand({
  command: 'backends [names..]',
  describe: 'List the loss backends: what each can run, or why it is not usable here',
  epilogue:
    'Lists onnx, tfjs, native, the configured --backend and any names given. Names: onnx|tfjs|native →\n' +
    '@pretrain/backend-<name>; foo → pretrain-backend-foo; @acme → @acme/pretrain-backend;\n' +
    '@acme/foo → @acme/pretrain-backend-foo; ./x.js or /abs/x.js → that module (resolved from the\n' +
    'working directory). Each lists the options it declares (--backend-option key=value; the\n' +
    'backendOptions object of pretrain.config.json), which go to the backends named explicitly.\n' +
    'Exit code 2 when a backend named explicitly is not usable.',
  builder: (yargs) =>
    yargs
      .positional('names', { type: 'string', array: true, describe: 'more backend names or paths to check' })
      .option('backend', { type: 'string', describe: 'the configured backend (also checked)' })
      .option('device', { choices: ['cpu', 'cuda'] as const, describe: 'device to create the backends on' })
      .option('threads', { type: 'string', describe: 'worker threads to create the backends with' })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, { io, config, loadedConfig }) {
    const explicit = [...(args.names ?? [])];
    if (loadedConfig.sources.backend !== 'default') explicit.push(config.backend);
    const names = [...new Set([...KNOWN_BACKENDS, ...explicit])];
    // A plugin's own options mean nothing to the others: they go only to the backends named.
    const common = { ...config, backendOptions: {} };
    const reports: BackendReport[] = [];
    for (const name of names) {
      const own = explicit.includes(name);
      reports.push(
        await describeBackend(name, io.cwd, (plugin) =>
          own ? backendOptionsFor(config, plugin) : validateBackendOptions(plugin, rawBackendOptions(common)),
        ),
      );
    }
    if (args.json) writeJson(io.stdout, reports);
    else for (const report of reports) printReport(io.stdout, report);
    const unusable = reports.filter((r) => !r.usable && explicit.includes(r.name)).map((r) => r.name);
    if (unusable.length === 0) return 0;
    // The reports went to stdout; stderr still gets the one-line error every bad input gets.
    io.stderr.write(`error: backend ${unusable.map((n) => JSON.stringify(n)).join(', ')} not usable here\n`);
    io.stderr.write(
      `hint: the report${args.json ? "'s reasons and hint say" : "'s why and fix lines say"} what to do\n`,
    );
    return EXIT_USAGE;
  },
});

function printReport(out: OutputStream, report: BackendReport): void {
  const line = (key: string, value: string) => out.write(`  ${key.padEnd(9)} ${value}\n`);
  out.write(`${report.name}: ${report.usable ? 'usable' : 'not usable'}\n`);
  if (report.meta)
    line('plugin', `${report.meta.name} ${report.meta.version} (backend API ${report.meta.apiVersion})`);
  if (report.usable) {
    line('module', `${report.specifier} (${report.file})`);
    if (report.probe) line('probe', report.probe.detail);
    line('families', report.capabilities.families.join(', '));
    // Model features beyond the base transformer (alibi, post-norm, ...): `model inspect` lists a model's.
    line('features', (report.capabilities.features ?? []).join(', ') || 'none beyond the base transformer');
    line('dtypes', report.capabilities.dtypes.join(', '));
    line('devices', report.capabilities.devices.join(', '));
    line('runtime', report.capabilities.runtime);
    printOptions(line, report.options);
    return;
  }
  for (const reason of report.reasons) line('why', reason);
  if (report.hint) line('fix', report.hint);
  if (report.meta) printOptions(line, report.options);
}

function printOptions(
  line: (key: string, value: string) => void,
  options: readonly BackendOptionDoc[] | undefined,
): void {
  if (options === undefined) {
    line('options', 'none declared (the plugin checks what it is given itself)');
    return;
  }
  for (const option of options) {
    const fallback = option.default === undefined ? '' : `, default ${JSON.stringify(option.default)}`;
    const about = option.description === '' ? '' : `: ${option.description}`;
    line('option', `${option.name} (${option.type}${fallback})${about}`);
  }
}
