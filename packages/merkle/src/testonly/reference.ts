// A deliberately naive, recursive transcription of RFC 6962 §2.1 (MTH, PATH, PROOF/SUBPROOF) used
// only to cross-check the real implementation. Subtree hashes are memoised per range so that
// checking every (index, size) pair up to a few hundred leaves stays fast; the recursion itself
// follows the RFC text line by line.
import { EMPTY_ROOT, hashChildren, hashLeaf } from '../hasher.js';

/** Largest power of two strictly smaller than n (n > 1), the RFC's "k". */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Reference tree over leaf data D[0:n] (or precomputed leaf hashes). */
export class ReferenceTree {
  private readonly leafHashes: Uint8Array[];
  private readonly memo = new Map<string, Uint8Array>();

  /** `leaves` are entries (hashed with `hashLeaf`) unless `hashed` is set. */
  constructor(leaves: Uint8Array[], opts: { hashed?: boolean } = {}) {
    this.leafHashes = opts.hashed ? leaves : leaves.map(hashLeaf);
  }

  get size(): number {
    return this.leafHashes.length;
  }

  /** MTH(D[start:end]) per RFC 6962 §2.1. */
  mth(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return this.leafHashes[start]!;
    const key = `${start},${end}`;
    let h = this.memo.get(key);
    if (!h) {
      const k = splitPoint(n);
      h = hashChildren(this.mth(start, start + k), this.mth(start + k, end));
      this.memo.set(key, h);
    }
    return h;
  }

  /** PATH(m, D[0:n]) per RFC 6962 §2.1.1 (the inclusion proof of leaf m in the tree of n). */
  path(m: number, n: number): Uint8Array[] {
    return this.subPath(m, 0, n);
  }

  private subPath(m: number, start: number, end: number): Uint8Array[] {
    const n = end - start;
    if (n <= 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...this.subPath(m, start, start + k), this.mth(start + k, end)];
    return [...this.subPath(m - k, start + k, end), this.mth(start, start + k)];
  }

  /** PROOF(m, D[0:n]) per RFC 6962 §2.1.2 (consistency proof between sizes m and n). */
  proof(m: number, n: number): Uint8Array[] {
    if (m === 0 || m === n) return [];
    return this.subProof(m, 0, n, true);
  }

  private subProof(m: number, start: number, end: number, b: boolean): Uint8Array[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = splitPoint(n);
    if (m <= k) return [...this.subProof(m, start, start + k, b), this.mth(start + k, end)];
    return [...this.subProof(m - k, start + k, end, false), this.mth(start, start + k)];
  }
}
