import { loadBackendPlugin, UsageError } from '@pretrain/core';
import {
  conformanceCaseIds,
  runConformance,
  type ConformanceExclude,
  type ConformanceResult,
} from '@pretrain/conformance';
import { backendOptionsFor, preflightBackend } from '../../config/index.js';
import { EXIT_CHECK_FAILED } from '../../errors/report-error.js';
import { oneLine, renderTable, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';

/** `pretrain conformance --backend <name|path>`: run the backend conformance suite. */
export const conformanceCommand = defineCommand({
  command: 'conformance',
  describe: 'Run the loss-backend conformance suite against a backend and print a pass/fail table',
  epilogue:
    'Checks losses and greedy tokens against PyTorch goldens for every supported architecture, batching,\n' +
    'sequence-length edges, typed errors for bad models, non-finite weights, determinism and memory.\n' +
    'Exit code 1 when any case fails. --exclude takes "<case id or prefix*>=<reason>".',
  builder: (yargs) =>
    yargs
      .option('backend', { type: 'string', describe: 'backend name or module path' })
      .option('device', { choices: ['cpu', 'cuda'] as const, describe: 'device to create the backend on' })
      .option('threads', { type: 'string', describe: 'backend worker threads' })
      .option('precision', {
        choices: ['fp32', 'reduced'] as const,
        describe: 'fp32: 1e-5 relative, exact greedy; reduced (fp16/bf16 compute): 1e-2',
      })
      .option('exclude', { type: 'string', array: true, describe: 'skip a case: "<id>=<reason>"' })
      .option('list', { type: 'boolean', describe: 'list the case ids and exit' })
      .option('json', { type: 'boolean', describe: 'print the results as JSON' }),
  async run(args, { io, config }) {
    if (args.list) {
      io.stdout.write(`${conformanceCaseIds().join('\n')}\n`);
      return 0;
    }
    const plugin = await loadBackendPlugin(config.backend, { cwd: io.cwd });
    const backendOptions = backendOptionsFor(config, plugin);
    await preflightBackend(plugin, backendOptions);
    let results: ConformanceResult[];
    try {
      results = await runConformance(plugin, {
        backendOptions,
        precision: args.precision ?? 'fp32',
        excludes: (args.exclude ?? []).map(parseExclude),
        onResult: (r) => {
          if (!args.json)
            io.stderr.write(
              `${r.status === 'passed' ? 'ok  ' : r.status === 'failed' ? 'FAIL' : 'skip'} ${r.id}\n`,
            );
        },
      });
    } catch (error) {
      if (error instanceof Error && /^conformance exclude/.test(error.message)) {
        throw new UsageError(error.message, { hint: 'see `pretrain conformance --list` for the case ids' });
      }
      throw error;
    }
    if (args.json) writeJson(io.stdout, { backend: plugin.meta, results });
    else printTable(io.stdout, plugin.meta.name, results);
    return results.some((r) => r.status === 'failed') ? EXIT_CHECK_FAILED : 0;
  },
});

function parseExclude(value: string): ConformanceExclude {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new UsageError(`--exclude "${value}" is not "<case id>=<reason>"`, {
      hint: 'e.g. --exclude "golden-greedy:gpt2-micro-random=ties in argmax"',
    });
  }
  return { test: value.slice(0, at), reason: value.slice(at + 1) };
}

function printTable(
  out: { write(s: string): unknown },
  backend: string,
  results: readonly ConformanceResult[],
): void {
  const rows = results.map((r) => [
    r.id,
    r.status,
    r.status === 'excluded' ? '' : `${Math.round(r.durationMs)}`,
    shortLine(r.detail),
  ]);
  out.write(
    renderTable(
      [{ header: 'case' }, { header: 'result' }, { header: 'ms', align: 'right' }, { header: 'detail' }],
      rows,
    ),
  );
  const count = (s: ConformanceResult['status']) => results.filter((r) => r.status === s).length;
  out.write(
    `\n${backend}: ${count('passed')} passed, ${count('failed')} failed, ${count('excluded')} excluded, ` +
      `${count('unsupported')} unsupported (layouts it declares it cannot run)\n`,
  );
}

function shortLine(text: string | undefined): string {
  const line = oneLine((text ?? '').replace(/\s+/g, ' '));
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
