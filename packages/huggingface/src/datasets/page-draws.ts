import type { PageRef } from '@pretrain/core';
import type { PageRandom } from './seeded-random.js';

/** Falcon RefinedWeb on the datasets-server (docs/SUBNET.md §5). */
export const FALCON_DATASET_ID = 'tiiuae/falcon-refinedweb';
/** The largest page offset the reference samples. */
export const FALCON_MAX_PAGE = 968_000_015;
/** FineWeb-Edu score-2 on the datasets-server (docs/SUBNET.md §5). */
export const FINEWEB_EDU_DATASET_ID = 'HuggingFaceFW/fineweb-edu-score-2';
/** Rows per page (docs/SUBNET.md §5). */
export const ROWS_PER_PAGE = 100;

/** A config of FineWeb-Edu as `/size` describes it. */
export interface FineWebConfig {
  readonly config: string;
  readonly split: string;
  readonly numRows: number;
}

/** A Falcon page: offset uniform in `[1, 968000015]`. */
export function drawFalconPage(random: PageRandom): PageRef {
  return { dataset: FALCON_DATASET_ID, config: 'default', offset: random.int(1, FALCON_MAX_PAGE) };
}

/** A FineWeb-Edu page: a config uniform among `configs`, then an offset uniform in `[0, num_rows − 1 − 100]`. */
export function drawFineWebPage(random: PageRandom, configs: readonly FineWebConfig[]): PageRef {
  const chosen = configs[random.int(0, configs.length - 1)] as FineWebConfig;
  return {
    dataset: FINEWEB_EDU_DATASET_ID,
    config: chosen.config,
    offset: random.int(0, chosen.numRows - 1 - ROWS_PER_PAGE),
  };
}
