// Signed tree heads of the CT log (RFC 6962 §3.5): the engine's head (size, root) signed as a
// TreeHeadSignature with the CT key, with a timestamp no earlier than any SCT in the tree.
import type { Signer } from '@signet/pki';
import { encodeDigitallySigned, type TlsAlgorithms, treeHeadSignatureData } from './tls.js';

/** One signed tree head. */
export interface SignedTreeHead {
  treeSize: bigint;
  /** Unix milliseconds. */
  timestamp: bigint;
  rootHash: Uint8Array;
  /** TLS `DigitallySigned` over `treeHeadSignatureData`. */
  signature: Uint8Array;
}

/** How many recent heads keep their signed STH (readers of one head share one signature). */
export const STH_CACHE_SIZE = 16;

/**
 * Signs STHs, one per (size, root), cached. The timestamp is the largest of the clock, the latest
 * SCT timestamp this process issued (`observeSct`), the caller's floor (the tree's last leaf) and
 * the previous STH's, so STH timestamps never go backwards and never precede an SCT in the tree.
 */
export class SthSigner {
  readonly #cache = new Map<string, Promise<SignedTreeHead>>();
  #latestSct = 0n;
  #latestSth = 0n;

  constructor(
    private readonly signer: Signer,
    private readonly alg: TlsAlgorithms,
    private readonly now: () => number,
  ) {}

  /** Records an SCT timestamp that a future STH must not precede (call BEFORE the append). */
  observeSct(timestamp: bigint): void {
    if (timestamp > this.#latestSct) this.#latestSct = timestamp;
  }

  /**
   * The STH for the tree (`size`, `rootHash`); `floor()` is asked only on a cache miss for the
   * smallest acceptable timestamp. Throws whatever the signer throws (nothing is cached then).
   */
  sign(size: bigint, rootHash: Uint8Array, floor: () => Promise<bigint>): Promise<SignedTreeHead> {
    const key = `${size}:${Buffer.from(rootHash).toString('hex')}`;
    let p = this.#cache.get(key);
    if (p === undefined) {
      p = this.#signFresh(size, rootHash, floor);
      this.#cache.set(key, p);
      p.catch(() => this.#cache.delete(key));
      while (this.#cache.size > STH_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return p;
  }

  async #signFresh(size: bigint, rootHash: Uint8Array, floor: () => Promise<bigint>): Promise<SignedTreeHead> {
    const minimum = await floor();
    let timestamp = BigInt(this.now());
    for (const t of [minimum, this.#latestSct, this.#latestSth]) if (t > timestamp) timestamp = t;
    this.#latestSth = timestamp;
    const raw = await this.signer.sign(treeHeadSignatureData(timestamp, size, rootHash));
    return { treeSize: size, timestamp, rootHash: rootHash.slice(), signature: encodeDigitallySigned(this.alg, raw) };
  }
}
