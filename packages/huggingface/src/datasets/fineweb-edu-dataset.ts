import { silentLogger, type Dataset, type Logger, type Page, type SampleOptions } from '@pretrain/core';
import { DatasetsServerClient, type DatasetsServerOptions } from './datasets-server-client.js';
import { sampleWithReplacement } from './page-sampling.js';
import { drawFineWebPage, FINEWEB_EDU_DATASET_ID, ROWS_PER_PAGE, type FineWebConfig } from './page-draws.js';
import { fetchRowsPage } from './rows-page.js';
import { createPageRandom } from './seeded-random.js';

/**
 * FineWeb-Edu score-2 pages: the configs come from `/size` (every split entry whose
 * config is not `default`, fetched once); a page is a config drawn uniformly and an
 * offset uniform in `[0, num_rows − 1 − 100]`; text field `text`.
 */
export class FineWebEduDataset implements Dataset {
  readonly name = 'fineweb-edu2';
  private readonly client: DatasetsServerClient;
  private readonly logger: Logger;
  private configs: Promise<FineWebConfig[]> | undefined;

  constructor(options: DatasetsServerOptions = {}) {
    this.client = new DatasetsServerClient(options);
    this.logger = options.logger ?? silentLogger;
  }

  /** The configs that pages are drawn from, sorted by name so seeded draws agree everywhere. */
  listConfigs(signal?: AbortSignal): Promise<FineWebConfig[]> {
    this.configs ??= this.client
      .getJson('/size', { dataset: FINEWEB_EDU_DATASET_ID }, parseSize, signal)
      .catch((error: unknown) => {
        this.configs = undefined;
        throw error;
      });
    return this.configs;
  }

  async samplePages(count: number, options: SampleOptions = {}): Promise<Page[]> {
    const configs = await this.listConfigs(options.signal);
    const random = createPageRandom(options.seed, FINEWEB_EDU_DATASET_ID);
    const splits = new Map(configs.map((c) => [c.config, c.split]));
    return sampleWithReplacement(
      this.name,
      count,
      () => drawFineWebPage(random, configs),
      (ref) =>
        fetchRowsPage(
          this.client,
          { ...ref, config: ref.config as string },
          splits.get(ref.config as string) as string,
          'text',
          options.signal,
        ),
      this.logger,
      options.signal,
    );
  }
}

/** Keep the `/size` split entries of configs other than `default` that hold more than one page. */
function parseSize(json: unknown): FineWebConfig[] {
  const splits = (json as { size?: { splits?: unknown } }).size?.splits;
  if (!Array.isArray(splits)) throw new Error('the /size answer has no size.splits');
  // Keyed by config, the last entry winning, as the reference's dict does.
  const configs = new Map<string, FineWebConfig>();
  for (const entry of splits as { config?: unknown; split?: unknown; num_rows?: unknown }[]) {
    const { config, split, num_rows: numRows } = entry;
    if (typeof config !== 'string' || typeof split !== 'string' || typeof numRows !== 'number') continue;
    if (config === 'default' || !Number.isSafeInteger(numRows) || numRows - 1 - ROWS_PER_PAGE < 0) continue;
    configs.set(config, { config, split, numRows });
  }
  if (configs.size === 0) throw new Error('the /size answer lists no config other than default');
  return [...configs.values()].sort((a, b) => (a.config < b.config ? -1 : a.config > b.config ? 1 : 0));
}
