import { StorageError } from '../errors.js';
import type { CommitBatch, EntryQuery, LogEntry, LogEntryText, LogHead, LogStore, SearchCriterion, Tile, TileId } from '../store.js';

/** The methods a fault can be injected into. */
export type FaultyMethod = 'openLog' | 'head' | 'commit' | 'readTiles' | 'readEntries' | 'readEntryTexts' | 'search';

/**
 * When the injected fault strikes: `before` → the call throws without reaching the real store
 * (nothing persisted); `after` → the real call runs to completion (a commit IS durable) and then
 * the call throws anyway, as when a connection drops before the COMMIT's acknowledgement arrives.
 */
export type FaultTiming = 'before' | 'after';

interface Fault {
  method: FaultyMethod;
  when: FaultTiming;
  remaining: number;
  error: () => Error;
  match: ((args: unknown[]) => boolean) | undefined;
}

/**
 * A `LogStore` wrapper for crash-safety tests: it delegates to a real store and fails chosen calls
 * before or after they take effect. Tests only.
 */
export class FaultyStore implements LogStore {
  private faults: Fault[] = [];
  /** How many calls each method received (including failed ones). */
  readonly calls: Record<FaultyMethod, number> = { openLog: 0, head: 0, commit: 0, readTiles: 0, readEntries: 0, readEntryTexts: 0, search: 0 };

  constructor(readonly inner: LogStore) {}

  /**
   * Makes the next `times` (default 1) calls of `method` (those accepted by `match`, if given) fail
   * at `when`, with `error()` (default a fresh `StorageError('DB_ERROR')`).
   */
  fail(
    method: FaultyMethod,
    when: FaultTiming,
    opts: { times?: number; error?: () => Error; match?: (args: unknown[]) => boolean } = {},
  ): void {
    this.faults.push({
      method,
      when,
      remaining: opts.times ?? 1,
      error: opts.error ?? (() => new StorageError('DB_ERROR', `injected fault ${when} ${method}`)),
      match: opts.match,
    });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.faults = [];
  }

  openLog(name: string, logId: Uint8Array): Promise<LogHead> {
    return this.wrap('openLog', [name, logId], () => this.inner.openLog(name, logId));
  }
  head(name: string): Promise<LogHead> {
    return this.wrap('head', [name], () => this.inner.head(name));
  }
  commit(name: string, expectedSize: bigint, batch: CommitBatch): Promise<void> {
    return this.wrap('commit', [name, expectedSize, batch], () => this.inner.commit(name, expectedSize, batch));
  }
  readTiles(name: string, ids: TileId[]): Promise<Tile[]> {
    return this.wrap('readTiles', [name, ids], () => this.inner.readTiles(name, ids));
  }
  readEntries(name: string, query: EntryQuery): Promise<LogEntry[]> {
    return this.wrap('readEntries', [name, query], () => this.inner.readEntries(name, query));
  }
  readEntryTexts(name: string, query: EntryQuery): Promise<LogEntryText[]> {
    return this.wrap('readEntryTexts', [name, query], () => this.inner.readEntryTexts(name, query));
  }
  search(name: string, keys: readonly SearchCriterion[], op: 'and' | 'or', limit: number): Promise<bigint[]> {
    return this.wrap('search', [name, keys, op, limit], () => this.inner.search(name, keys, op, limit));
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async wrap<T>(method: FaultyMethod, args: unknown[], call: () => Promise<T>): Promise<T> {
    this.calls[method]++;
    const fault = this.faults.find((f) => f.method === method && f.remaining > 0 && (f.match?.(args) ?? true));
    if (fault === undefined) return call();
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    if (fault.when === 'before') throw fault.error();
    await call();
    throw fault.error();
  }
}
