import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import type { Dataset, Page, SampleOptions } from '../contracts/dataset.js';
import { DatasetError, UsageError } from '@pretrain/backend-sdk';
import { readDocuments } from './read-documents.js';
import { SeededRandom } from './seeded-random.js';

/** Options of {@link LocalTextDataset}. */
export interface LocalTextDatasetOptions {
  /** A .txt / .jsonl file, or a directory of them. */
  readonly path: string;
  /** Documents per page; 100 like the datasets-server pages (docs/SUBNET.md §5). */
  readonly rowsPerPage?: number;
}

/**
 * The embedded default dataset: local text split into pages of consecutive documents.
 * Page `k` holds documents `k·rows … k·rows + rows − 1`; its ref is
 * `{ dataset: 'local:<absolute path>', offset: k·rows }`.
 *
 * Pages are drawn uniformly with replacement, as the reference draws page offsets: from
 * a {@link SeededRandom} when a seed is given (same seed, same pages, in every
 * process), else from the OS random source. Files are read once, on first use.
 */
export class LocalTextDataset implements Dataset {
  /** Always `local`; page refs carry the path. */
  readonly name = 'local';
  private readonly path: string;
  private readonly rowsPerPage: number;
  private documents: Promise<string[]> | undefined;

  constructor(options: LocalTextDatasetOptions) {
    this.path = resolve(options.path);
    this.rowsPerPage = options.rowsPerPage ?? 100;
    if (!Number.isSafeInteger(this.rowsPerPage) || this.rowsPerPage < 1) {
      throw new UsageError(`rows per page ${options.rowsPerPage} must be a positive integer`);
    }
  }

  /** How many pages the text makes. */
  async pageCount(): Promise<number> {
    return Math.ceil((await this.load()).length / this.rowsPerPage);
  }

  /** Page `index` (0-based). */
  async page(index: number): Promise<Page> {
    const docs = await this.load();
    const offset = index * this.rowsPerPage;
    return {
      ref: { dataset: `local:${this.path}`, offset },
      documents: docs.slice(offset, offset + this.rowsPerPage),
    };
  }

  /**
   * @throws UsageError for a negative or fractional count; DatasetError when the path
   * holds no documents.
   */
  async samplePages(count: number, options: SampleOptions = {}): Promise<Page[]> {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new UsageError(`page count ${count} must be a non-negative integer`);
    }
    const pages = await this.pageCount();
    if (pages === 0) {
      throw new DatasetError(`no documents in '${this.path}'`, {
        hint: 'add .txt or .jsonl files with text',
      });
    }
    const seeded = options.seed === undefined ? undefined : new SeededRandom(options.seed);
    const picks: Page[] = [];
    for (let i = 0; i < count; i++) {
      options.signal?.throwIfAborted();
      picks.push(await this.page(seeded === undefined ? randomInt(pages) : seeded.nextInt(pages)));
    }
    return picks;
  }

  private load(): Promise<string[]> {
    if (this.documents === undefined) {
      this.documents = readDocuments(this.path);
      // A failed read (e.g. a file being written) may be retried by the next call.
      this.documents.catch(() => (this.documents = undefined));
    }
    return this.documents;
  }
}
