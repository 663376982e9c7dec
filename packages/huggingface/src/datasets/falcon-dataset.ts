import { silentLogger, type Dataset, type Logger, type Page, type SampleOptions } from '@pretrain/core';
import { DatasetsServerClient, type DatasetsServerOptions } from './datasets-server-client.js';
import { sampleWithReplacement } from './page-sampling.js';
import { fetchRowsPage } from './rows-page.js';
import { drawFalconPage, FALCON_DATASET_ID } from './page-draws.js';
import { createPageRandom } from './seeded-random.js';

/**
 * Falcon RefinedWeb pages: a page is the 100 rows at an offset drawn uniformly from
 * `[1, 968000015]` (config `default`, split `train`), text field `content`.
 */
export class FalconDataset implements Dataset {
  readonly name = 'falcon';
  private readonly client: DatasetsServerClient;
  private readonly logger: Logger;

  constructor(options: DatasetsServerOptions = {}) {
    this.client = new DatasetsServerClient(options);
    this.logger = options.logger ?? silentLogger;
  }

  samplePages(count: number, options: SampleOptions = {}): Promise<Page[]> {
    const random = createPageRandom(options.seed, FALCON_DATASET_ID);
    return sampleWithReplacement(
      this.name,
      count,
      () => drawFalconPage(random),
      (ref) => fetchRowsPage(this.client, { ...ref, config: 'default' }, 'train', 'content', options.signal),
      this.logger,
      options.signal,
    );
  }
}
