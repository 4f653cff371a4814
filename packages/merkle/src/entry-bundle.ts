// C2SP tlog-tiles entry bundles: each entry as a big-endian uint16 length followed by its bytes,
// concatenated. Bundle N holds entries 256N .. 256N+255 (partial bundles are ".p/<W>").
import { MerkleError } from './errors.js';

/** Largest entry a bundle can hold (uint16 length prefix). */
export const MAX_BUNDLE_ENTRY = 0xffff;

/**
 * Encodes entries as an entry bundle.
 * @throws MerkleError `BAD_BUNDLE` for more than 256 entries or an entry over 65535 bytes.
 */
export function encodeEntryBundle(entries: Uint8Array[]): Uint8Array {
  if (entries.length > 256) throw new MerkleError('BAD_BUNDLE', `${entries.length} entries in one bundle`);
  let n = 0;
  for (const e of entries) {
    if (e.length > MAX_BUNDLE_ENTRY) throw new MerkleError('BAD_BUNDLE', `entry of ${e.length} bytes is too large`);
    n += 2 + e.length;
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const e of entries) {
    out[off] = e.length >> 8;
    out[off + 1] = e.length & 0xff;
    out.set(e, off + 2);
    off += 2 + e.length;
  }
  return out;
}

/**
 * Splits an entry bundle into its entries (copies).
 * @throws MerkleError `BAD_BUNDLE` if a length prefix runs past the end or there are over 256 entries.
 */
export function parseEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < bundle.length; ) {
    if (off + 2 > bundle.length) throw new MerkleError('BAD_BUNDLE', 'truncated length prefix');
    const len = (bundle[off]! << 8) | bundle[off + 1]!;
    if (off + 2 + len > bundle.length) throw new MerkleError('BAD_BUNDLE', 'entry runs past the end of the bundle');
    out.push(bundle.slice(off + 2, off + 2 + len));
    off += 2 + len;
    if (out.length > 256) throw new MerkleError('BAD_BUNDLE', 'more than 256 entries in one bundle');
  }
  return out;
}
