import type { LogItem } from '../store/index.js';

export interface SearchOptions {
  pageSize: number;
  /** 1-based, like Magento's current_page. */
  currentPage: number;
  /** Include the delivered bodies. */
  bodies: boolean;
}

export interface SearchPage {
  items: LogItem[];
  total_count: number;
}

/**
 * Where Lucene queries over deliveries run: the embedded SQL translation or a search engine.
 * Both throw a 400 ApiError for a query they cannot run.
 */
export interface SearchBackend {
  readonly name: 'embedded' | 'elasticsearch' | 'opensearch';
  search(q: string, page: SearchOptions): Promise<SearchPage>;
  /** For bulk replay: the newest attempt of each matching chain (one log id per uuid), newest first. */
  matchingIds(q: string, limit: number): Promise<number[]>;
}

/** What the retention job needs from the search side: forget deleted rows. */
export interface SearchMaintenance {
  deleteLogIds(ids: readonly number[]): Promise<void>;
}
