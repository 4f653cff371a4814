// hashedrekord v0.0.1 (rekor.md §4): a signature over an artifact DIGEST with a PEM public key or
// certificate (chain). Stored as `{data: {hash}, signature: {content, publicKey: {content}}}` with the
// signature re-encoded and the key re-serialised as canonical PEM; URLs and inline data are dropped.
import { createHash } from 'node:crypto';
import type { CanonicalEntry, Kind } from './kind.js';
import { normalizeSearchKeys } from './kind.js';
import { parseKeyMaterial, type DigestAlgorithm } from './key-material.js';
import { b64, invalid, obj, str, toB64 } from './spec-reader.js';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** The hashedrekord 0.0.1 kind. */
export const hashedrekordV001: Kind = {
  kind: 'hashedrekord',
  apiVersion: '0.0.1',
  async canonicalize(rawSpec: unknown): Promise<CanonicalEntry> {
    const spec = obj(rawSpec, 'spec');
    const signature = obj(spec.signature, 'spec.signature');
    const sig = b64(signature.content, 'spec.signature.content');
    if (sig.length === 0) invalid('spec.signature.content is missing');
    const publicKey = obj(signature.publicKey, 'spec.signature.publicKey');
    const keyPem = b64(publicKey.content, 'spec.signature.publicKey.content');
    const data = obj(spec.data, 'spec.data');
    const hash = obj(data.hash, 'spec.data.hash');
    const algorithm = str(hash.algorithm, 'spec.data.hash.algorithm');
    if (!(algorithm in HEX_LENGTH)) invalid(`spec.data.hash.algorithm ${JSON.stringify(algorithm)} is not one of sha256, sha384, sha512`);
    const alg = algorithm as DigestAlgorithm;
    const value = str(hash.value, 'spec.data.hash.value');
    if (!/^[0-9a-fA-F]*$/.test(value) || value.length !== HEX_LENGTH[alg]) {
      invalid(`spec.data.hash.value must be ${HEX_LENGTH[alg]} hex digits for ${alg}`);
    }

    const key = parseKeyMaterial(keyPem, 'spec.signature.publicKey.content');
    key.assertAllowed(alg);
    if (key.certificateCount > 1) await key.verifyOwnChain();
    if (!key.verifyDigest(alg, new Uint8Array(Buffer.from(value, 'hex')), sig)) {
      invalid(`spec.signature.content does not verify over the ${alg} digest with the given public key`);
    }

    // The stored form, written straight as RFC 8785 text: its members are already in JCS order and
    // every value is an allow-listed name, hex digits or base64, none of which JSON escapes (the
    // Rekor vectors in kinds.test.ts pin the bytes).
    const keyB64 = Buffer.from(key.canonicalPem, 'utf8').toString('base64');
    const text =
      `{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"${alg}","value":"${value}"}},` +
      `"signature":{"content":"${toB64(sig)}","publicKey":{"content":"${keyB64}"}}}}`;
    const bytes = Buffer.from(text, 'latin1');
    const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const keyHash = createHash('sha256').update(key.canonicalPem, 'utf8').digest('hex');
    return { body, searchKeys: normalizeSearchKeys([keyHash, ...key.subjects, `${alg}:${value}`]) };
  },
};
