// A bounded LRU of Signed Entry Timestamps (docs/benchmarks.md, Proposal D). A SET covers only
// {body, integratedTime, logID, logIndex}, which never change once an entry is logged, so a SET
// signed for one response verifies for every later response of the same entry; reusing it saves
// one signature per read. Each slot also keeps the entry's leaf hash and integratedTime and is
// used only when both match, so a stale slot can never be served for a different entry.
import type { Signer } from '@signet/pki';
import { signSet, type SetFields } from './set.js';

/** Default number of SETs kept (≈ 200 B each with their keys: ~13 MB). */
export const DEFAULT_SET_CACHE_ENTRIES = 65_536;

interface Slot {
  leafHash: Buffer;
  integratedTime: number;
  set: string;
}

/** The SETs of recently served entries, least recently used evicted first. */
export class SetCache {
  private readonly slots = new Map<number, Slot>();

  /** `capacity` 0 disables caching (every call signs). Throws RangeError for a bad capacity. */
  constructor(
    private readonly signer: Signer,
    readonly capacity: number = DEFAULT_SET_CACHE_ENTRIES,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError('SET cache capacity must be a non-negative integer');
  }

  /** How many SETs are held. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * The SET (standard base64) of the entry with `leafHash` and `fields`: the cached one if this
   * entry's was signed before, else a fresh signature (then cached). Throws what the signer throws.
   */
  async get(leafHash: Uint8Array, fields: SetFields & { logIndex: number }): Promise<string> {
    const slot = this.slots.get(fields.logIndex);
    const hash = Buffer.from(leafHash.buffer, leafHash.byteOffset, leafHash.byteLength);
    if (slot !== undefined && slot.integratedTime === fields.integratedTime && slot.leafHash.equals(hash)) {
      this.slots.delete(fields.logIndex);
      this.slots.set(fields.logIndex, slot);
      return slot.set;
    }
    const set = await signSet(this.signer, fields);
    if (this.capacity > 0) {
      this.slots.delete(fields.logIndex);
      if (this.slots.size >= this.capacity) this.slots.delete(this.slots.keys().next().value!);
      this.slots.set(fields.logIndex, { leafHash: Buffer.from(hash), integratedTime: fields.integratedTime, set });
    }
    return set;
  }
}
