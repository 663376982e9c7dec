import { createHash } from 'node:crypto';
import { sendError, sendJson, type TestRoute } from './http-test-kit.js';

/** A dataset served by the datasets-server double: its text column and rows per config. */
export interface TestDataset {
  readonly textField: string;
  /** config → number of rows (all in split `train`). */
  readonly configs: Readonly<Record<string, number>>;
}

/** The two datasets of docs/SUBNET.md §5, with the real Falcon row count and small FineWeb configs. */
export const DEFAULT_TEST_DATASETS: Readonly<Record<string, TestDataset>> = {
  'tiiuae/falcon-refinedweb': { textField: 'content', configs: { default: 968_000_015 } },
  'HuggingFaceFW/fineweb-edu-score-2': {
    textField: 'text',
    configs: {
      default: 5_000_000,
      'CC-MAIN-2013-20': 2_000,
      'CC-MAIN-2019-04': 1_500,
      'CC-MAIN-2024-10': 900,
    },
  },
};

const WORDS = [
  'the',
  'river',
  'model',
  'learns',
  'quietly',
  'from',
  'every',
  'page',
  'of',
  'text',
  'and',
  'stone',
];

/** Deterministic text of row `index` of `config`, so tests can recompute what they got. */
export function testRowText(dataset: string, config: string, index: number): string {
  const digest = createHash('sha256').update(`${dataset}/${config}/${index}`).digest();
  const words = [...digest.subarray(0, 12)].map((b) => WORDS[b % WORDS.length]);
  return `Row ${index} of ${config}: ${words.join(' ')}.`;
}

/** `GET /rows` and `GET /size` of the HF datasets-server, in its response shapes. */
export function datasetsRoutes(datasets: Readonly<Record<string, TestDataset>>): TestRoute[] {
  return [
    {
      method: 'GET',
      pattern: /^\/size$/,
      handle: (req, res) => {
        const name = req.query.get('dataset') ?? '';
        const dataset = datasets[name];
        if (dataset === undefined)
          return sendError(res, 404, `The dataset does not exist: ${name}`, 'DatasetNotFoundError');
        const entries = Object.entries(dataset.configs);
        const splits = entries.map(([config, rows]) => ({
          dataset: name,
          config,
          split: 'train',
          num_bytes_parquet_files: rows * 1000,
          num_bytes_memory: rows * 2000,
          num_rows: rows,
          num_columns: 2,
        }));
        const total = entries.reduce((sum, [, rows]) => sum + rows, 0);
        sendJson(res, 200, {
          size: {
            dataset: {
              dataset: name,
              num_bytes_original_files: total * 1000,
              num_bytes_parquet_files: total * 1000,
              num_bytes_memory: total * 2000,
              num_rows: total,
            },
            configs: splits.map(({ split: _split, ...config }) => config),
            splits,
          },
          pending: [],
          failed: [],
          partial: false,
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/rows$/,
      handle: (req, res) => {
        const name = req.query.get('dataset') ?? '';
        const config = req.query.get('config') ?? '';
        const dataset = datasets[name];
        const numRows = dataset?.configs[config];
        if (dataset === undefined || numRows === undefined || req.query.get('split') !== 'train') {
          return sendError(
            res,
            404,
            `Not found: ${name} ${config} ${req.query.get('split') ?? ''}`,
            'ResponseNotFound',
          );
        }
        const offset = Number(req.query.get('offset') ?? '0');
        const limit = Number(req.query.get('limit') ?? '100');
        if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) {
          return sendError(
            res,
            422,
            "Parameter 'offset' must be >= 0 and 'limit' in [1, 100]",
            'InvalidParameter',
          );
        }
        const rows = [];
        for (let i = offset; i < Math.min(offset + limit, numRows); i++) {
          rows.push({
            row_idx: i,
            row: { [dataset.textField]: testRowText(name, config, i), id: `row-${i}` },
            truncated_cells: [],
          });
        }
        sendJson(res, 200, {
          features: [
            { feature_idx: 0, name: dataset.textField, type: { dtype: 'string', _type: 'Value' } },
            { feature_idx: 1, name: 'id', type: { dtype: 'string', _type: 'Value' } },
          ],
          rows,
          num_rows_total: numRows,
          num_rows_per_page: 100,
          partial: false,
        });
      },
    },
  ];
}
