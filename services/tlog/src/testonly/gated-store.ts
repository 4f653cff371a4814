// A LogStore wrapper that records commits and can hold them until a test releases them.
import type { CommitBatch, EntryQuery, LogEntry, LogEntryText, LogHead, LogStore, Tile, TileId } from '@signet/storage';

/**
 * Delegates everything to `inner`; `commit` records each batch's entry count in `commits` and,
 * while `hold()` is in effect, waits until `release()` before committing. Tests only.
 */
export class GatedStore implements LogStore {
  /** Entry counts of the commits attempted, in order. */
  readonly commits: number[] = [];
  /** How many commits failed with each StorageError code (HEAD_CONFLICT…). */
  readonly commitErrors: Record<string, number> = {};
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private arrived: Array<() => void> = [];
  private running = new Set<Promise<void>>();

  constructor(readonly inner: LogStore) {}

  /** Makes the following commits wait for `release()`. */
  hold(): void {
    this.gate ??= new Promise((resolve) => (this.open = resolve));
  }

  /** Lets held commits (and later ones) proceed. */
  release(): void {
    this.open?.();
    this.gate = undefined;
    this.open = undefined;
  }

  /** Resolves once `n` commits have been attempted in total. */
  async commitsReached(n: number): Promise<void> {
    while (this.commits.length < n) await new Promise<void>((resolve) => this.arrived.push(resolve));
  }

  /** Resolves once no commit is in progress (whatever their outcome). */
  async quiet(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  commit(name: string, expectedSize: bigint, batch: CommitBatch): Promise<void> {
    const p = this.doCommit(name, expectedSize, batch);
    this.running.add(p);
    const done = (): void => void this.running.delete(p);
    p.then(done, done);
    return p;
  }

  private async doCommit(name: string, expectedSize: bigint, batch: CommitBatch): Promise<void> {
    this.commits.push(batch.entries.length);
    for (const a of this.arrived.splice(0)) a();
    if (this.gate !== undefined) await this.gate;
    try {
      await this.inner.commit(name, expectedSize, batch);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const key = typeof code === 'string' ? code : 'OTHER';
      this.commitErrors[key] = (this.commitErrors[key] ?? 0) + 1;
      throw err;
    }
  }

  openLog(name: string, logId: Uint8Array): Promise<LogHead> {
    return this.inner.openLog(name, logId);
  }
  head(name: string): Promise<LogHead> {
    return this.inner.head(name);
  }
  readTiles(name: string, ids: TileId[]): Promise<Tile[]> {
    return this.inner.readTiles(name, ids);
  }
  readEntries(name: string, query: EntryQuery): Promise<LogEntry[]> {
    return this.inner.readEntries(name, query);
  }
  readEntryTexts(name: string, query: EntryQuery): Promise<LogEntryText[]> {
    return this.inner.readEntryTexts(name, query);
  }
  search(name: string, keys: string[], op: 'and' | 'or', limit: number): Promise<bigint[]> {
    return this.inner.search(name, keys, op, limit);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
