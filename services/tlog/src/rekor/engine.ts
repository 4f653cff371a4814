// The part of the generic log engine (`../log`) that the Rekor personality uses, as a structural
// interface: the personality is written against this contract, and `Log` satisfies it.

/** What `append` reports once the entry is durable and covered by a signed checkpoint. */
export interface AppendResult {
  index: bigint;
  leafHash: Uint8Array;
  /** Unix milliseconds. */
  integratedTime: number;
  treeSize: bigint;
  rootHash: Uint8Array;
  /** Inclusion proof of `index` in the tree of `treeSize`, bottom-up. */
  proof: Uint8Array[];
  /** Signed note for exactly `treeSize` / `rootHash`. */
  checkpoint: string;
}

/** One stored entry. */
export interface StoredEntry {
  index: bigint;
  leafHash: Uint8Array;
  body: Uint8Array;
  integratedTime: number;
  extra: Uint8Array | null;
}

/** The log engine contract (see `services/tlog/src/log`). */
export interface LogEngine {
  readonly logId: Uint8Array;
  /** Throws LogError ENTRY_EXISTS {index} / PUSHBACK {retryAfterSeconds} / STORAGE_FAILURE / SHUTTING_DOWN. */
  append(entry: { body: Uint8Array; searchKeys: string[]; extra?: Uint8Array }): Promise<AppendResult>;
  head(): Promise<{ size: bigint; rootHash: Uint8Array; checkpoint: string }>;
  inclusionProof(index: bigint, treeSize?: bigint): Promise<InclusionProof>;
  consistencyProof(size1: bigint, size2: bigint): Promise<{ rootHash: Uint8Array; hashes: Uint8Array[] }>;
  entries(q: { indices: bigint[] } | { leafHashes: Uint8Array[] } | { from: bigint; count: number }): Promise<StoredEntry[]>;
  search(keys: string[], op: 'and' | 'or', limit: number): Promise<bigint[]>;
  tile(level: number, index: bigint, width: number): Promise<Uint8Array>;
  entryBundle(index: bigint, width: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** An inclusion proof as the engine returns it. */
export interface InclusionProof {
  treeSize: bigint;
  rootHash: Uint8Array;
  hashes: Uint8Array[];
  checkpoint: string;
}
