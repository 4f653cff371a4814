// Coalesces concurrent point reads of entries (docs/benchmarks.md, Proposal E): every single-entry
// read by index or by leaf hash that starts before the event loop reaches its next check phase
// joins one `= ANY(…)` store query per kind, at most `maxBatch` keys per query, instead of one
// query (and one PostgreSQL round trip) per reader.
import type { EntryQuery } from '@signet/storage';

/** Default cap on the keys of one coalesced query. */
export const DEFAULT_COALESCE_BATCH = 256;

interface Waiter<E> {
  resolve: (e: E | undefined) => void;
  reject: (err: unknown) => void;
}

/** Byte string of a hash without copying its bytes into hex (map key only). */
export const hashKeyOf = (h: Uint8Array): string => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('latin1');

/**
 * Batches point reads issued in the same turn of the event loop. `read` performs one store query
 * (its errors reach every reader of that query, unchanged) for entries of type `E` (bytes or text);
 * `keyOf` gives an entry's leaf hash as `hashKeyOf` writes it, for matching reads by hash; `defer`
 * schedules the flush (default `setImmediate`, i.e. after the I/O callbacks of the current loop
 * iteration).
 */
export class ReadCoalescer<E extends { index: bigint }> {
  private byIndex = new Map<bigint, Waiter<E>[]>();
  private byHash = new Map<string, { hash: Uint8Array; waiters: Waiter<E>[] }>();
  private scheduled = false;

  constructor(
    private readonly read: (q: EntryQuery) => Promise<E[]>,
    private readonly keyOf: (e: E) => string,
    private readonly maxBatch: number = DEFAULT_COALESCE_BATCH,
    private readonly defer: (fn: () => void) => void = setImmediate,
  ) {}

  /** The entry at `index`, or undefined if the store has none. Rejects with `read`'s error. */
  entryAt(index: bigint): Promise<E | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.byIndex.get(index);
      if (list) list.push({ resolve, reject });
      else this.byIndex.set(index, [{ resolve, reject }]);
      this.schedule();
    });
  }

  /** The entry whose leaf hash is `hash`, or undefined. Rejects with `read`'s error. */
  entryWithLeafHash(hash: Uint8Array): Promise<E | undefined> {
    return new Promise((resolve, reject) => {
      const key = hashKeyOf(hash);
      const slot = this.byHash.get(key);
      if (slot) slot.waiters.push({ resolve, reject });
      else this.byHash.set(key, { hash, waiters: [{ resolve, reject }] });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const byIndex = this.byIndex;
    const byHash = this.byHash;
    this.byIndex = new Map();
    this.byHash = new Map();
    const indices = [...byIndex.keys()];
    for (let i = 0; i < indices.length; i += this.maxBatch) {
      const chunk = indices.slice(i, i + this.maxBatch);
      this.read({ indices: chunk }).then(
        (entries) => {
          const found = new Map(entries.map((e) => [e.index, e] as const));
          for (const index of chunk) for (const w of byIndex.get(index)!) w.resolve(found.get(index));
        },
        (err: unknown) => {
          for (const index of chunk) for (const w of byIndex.get(index)!) w.reject(err);
        },
      );
    }
    const slots = [...byHash.values()];
    for (let i = 0; i < slots.length; i += this.maxBatch) {
      const chunk = slots.slice(i, i + this.maxBatch);
      this.read({ leafHashes: chunk.map((s) => s.hash) }).then(
        (entries) => {
          const found = new Map(entries.map((e) => [this.keyOf(e), e] as const));
          for (const s of chunk) for (const w of s.waiters) w.resolve(found.get(hashKeyOf(s.hash)));
        },
        (err: unknown) => {
          for (const s of chunk) for (const w of s.waiters) w.reject(err);
        },
      );
    }
  }
}
