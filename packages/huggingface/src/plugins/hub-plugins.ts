import {
  defineDatasetPlugin,
  defineStorePlugin,
  PORT_PLUGIN_API_VERSION,
  UsageError,
  z,
} from '@pretrain/core';
import { FalconDataset } from '../datasets/falcon-dataset.js';
import { FineWebEduDataset } from '../datasets/fineweb-edu-dataset.js';
import { HubModelStore } from '../hub/hub-model-store.js';

const VERSION = '0.1.0';

function httpUrl(location: string | undefined, what: string, flag: string): string | undefined {
  if (location === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(location)) {
    throw new UsageError(`${flag} ${JSON.stringify(location)} is not an http(s) URL of ${what}`, {
      hint: `write ${flag}:<http(s) URL>, e.g. ${flag}:http://127.0.0.1:8080`,
    });
  }
  return location;
}

/**
 * `--model-store hf` (the Hugging Face hub) or `hf:<url>` (a hub-compatible server: a
 * mirror or a test double). The access token comes from the context's credentials.
 */
export const hubStorePlugin = defineStorePlugin({
  meta: { name: 'hf', version: VERSION, apiVersion: PORT_PLUGIN_API_VERSION },
  async create({ location }, { credentials }) {
    const hubUrl = httpUrl(location, 'a hub', 'hf');
    return new HubModelStore({
      ...(hubUrl === undefined ? {} : { hubUrl }),
      ...(credentials.hfToken === undefined ? {} : { accessToken: credentials.hfToken }),
    });
  },
});

const datasetOptions = z.object({
  attempts: z.int().min(1).max(100).optional().describe('attempts per request (default 10)'),
  retryDelayMs: z.int().min(0).optional().describe('wait between attempts in ms (default 5000)'),
});

/** `--dataset falcon` (Falcon RefinedWeb) or `falcon:<datasets-server URL>`. */
export const falconDatasetPlugin = defineDatasetPlugin({
  meta: { name: 'falcon', version: VERSION, apiVersion: PORT_PLUGIN_API_VERSION },
  options: datasetOptions,
  async create({ location, ...rest }, { logger }) {
    const baseUrl = httpUrl(location, 'a datasets-server', 'falcon');
    return new FalconDataset({ ...(baseUrl === undefined ? {} : { baseUrl }), ...defined(rest), logger });
  },
});

/** `--dataset fineweb-edu2` (FineWeb-Edu) or `fineweb-edu2:<datasets-server URL>`. */
export const fineWebEduDatasetPlugin = defineDatasetPlugin({
  meta: { name: 'fineweb-edu2', version: VERSION, apiVersion: PORT_PLUGIN_API_VERSION },
  options: datasetOptions,
  async create({ location, ...rest }, { logger }) {
    const baseUrl = httpUrl(location, 'a datasets-server', 'fineweb-edu2');
    return new FineWebEduDataset({ ...(baseUrl === undefined ? {} : { baseUrl }), ...defined(rest), logger });
  },
});

function defined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
