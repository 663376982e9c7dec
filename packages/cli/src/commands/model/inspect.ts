import { resolve } from 'node:path';
import { describeLayout, modelFeatures, openModelSpec } from '@pretrain/core';
import { renderTable, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { directoryBytes } from './directory-bytes.js';

/** `pretrain model inspect <dir> [--json]`: what core reads from a model directory. */
export const modelInspectCommand = defineCommand({
  command: 'inspect <dir>',
  describe: 'Show architecture, layout, parameter count, dtypes and sizes of a model directory',
  builder: (yargs) =>
    yargs
      .positional('dir', { type: 'string', demandOption: true, describe: 'model directory' })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, { io }) {
    const spec = await openModelSpec(resolve(io.cwd, args.dir));
    const summary = {
      dir: spec.dir,
      architecture: spec.architecture,
      family: spec.family,
      layout: describeLayout(spec),
      // What a backend must implement beyond the base transformer (`pretrain backends`).
      features: modelFeatures(spec),
      parameters: spec.parameterCount,
      dtypes: spec.dtypes,
      weightBytes: spec.weightBytes,
      totalBytes: await directoryBytes(spec.dir),
      layers: spec.numLayers,
      hiddenSize: spec.hiddenSize,
      heads: spec.numHeads,
      kvHeads: spec.numKvHeads,
      vocabSize: spec.vocabSize,
      maxPositions: spec.maxPositions,
      tiedEmbeddings: spec.tiedEmbeddings,
    };
    if (args.json) {
      writeJson(io.stdout, summary);
      return;
    }
    const rows = Object.entries(summary).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(', ') : String(value),
    ]);
    io.stdout.write(renderTable([{ header: 'property' }, { header: 'value' }], rows));
  },
});
