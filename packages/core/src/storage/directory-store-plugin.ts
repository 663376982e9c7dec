import { resolve } from 'node:path';
import { PORT_PLUGIN_API_VERSION } from '../contracts/index.js';
import { UsageError } from '@pretrain/backend-sdk';
import { defineStorePlugin } from '../plugins/define-port-plugin.js';
import { DirectoryModelStore } from './directory-model-store.js';

/**
 * `--model-store dir:<path>`: the embedded {@link DirectoryModelStore} at `<path>`
 * (relative to the working directory), for local networks and demos.
 */
export const directoryStorePlugin = defineStorePlugin({
  meta: { name: 'dir', version: '0.1.0', apiVersion: PORT_PLUGIN_API_VERSION },
  async create({ location }, { cwd }) {
    if (location === undefined) {
      throw new UsageError('the directory model store needs a directory', {
        hint: 'write --model-store dir:<path>, e.g. dir:./models',
      });
    }
    return new DirectoryModelStore(resolve(cwd, location));
  },
});
