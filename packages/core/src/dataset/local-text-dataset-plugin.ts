import { resolve } from 'node:path';
import { PORT_PLUGIN_API_VERSION } from '../contracts/index.js';
import { UsageError, z } from '@pretrain/backend-sdk';
import { defineDatasetPlugin } from '../plugins/define-port-plugin.js';
import { LocalTextDataset } from './local-text-dataset.js';

/** `--dataset local:<path>`: local text (a .txt/.jsonl file or a directory) as pages. */
export const localTextDatasetPlugin = defineDatasetPlugin({
  meta: { name: 'local', version: '0.1.0', apiVersion: PORT_PLUGIN_API_VERSION },
  options: z.object({
    rowsPerPage: z.int().min(1).max(10_000).optional().describe('documents per page (default 100)'),
  }),
  async create({ location, rowsPerPage }, { cwd }) {
    if (location === undefined) {
      throw new UsageError('the local text dataset needs a file or directory', {
        hint: 'write --dataset local:<path>, e.g. local:./corpus.txt',
      });
    }
    return new LocalTextDataset({
      path: resolve(cwd, location),
      ...(rowsPerPage === undefined ? {} : { rowsPerPage }),
    });
  },
});
