// intoto v0.0.2 (rekor.md §4), accepted as Rekor accepts it: `content.envelope` carries the payload and
// each signature base64-encoded TWICE (the field holds base64 of the DSSE base64 text), each signature
// with its own PEM key; `content.hash` is the client's digest of the envelope (it cannot be recomputed)
// and `payloadHash` is computed here. Stored: payloadType and signatures as sent (re-encoded), hash,
// payloadHash; the payload is dropped.
import { createHash } from 'node:crypto';
import { canonicalizeToBytes } from '../canonical-json.js';
import type { CanonicalEntry, Kind } from './kind.js';
import { normalizeSearchKeys } from './kind.js';
import { inTotoSearchKeys, pae } from './in-toto.js';
import { parseKeyMaterial } from './key-material.js';
import { arr, b64, invalid, obj, str, toB64 } from './spec-reader.js';
import { verifyEnvelope } from './envelope.js';

const STD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The intoto 0.0.2 kind. */
export const intotoV002: Kind = {
  kind: 'intoto',
  apiVersion: '0.0.2',
  async canonicalize(rawSpec: unknown): Promise<CanonicalEntry> {
    const spec = obj(rawSpec, 'spec');
    const content = obj(spec.content, 'spec.content');
    const envelope = obj(content.envelope, 'spec.content.envelope');
    const payloadType = str(envelope.payloadType, 'spec.content.envelope.payloadType');
    const payloadText = Buffer.from(b64(envelope.payload, 'spec.content.envelope.payload')).toString('latin1');
    if (payloadText.length === 0) invalid('spec.content.envelope.payload is missing');
    if (payloadText.length % 4 !== 0 || !STD_BASE64.test(payloadText)) {
      invalid('spec.content.envelope.payload must be base64 of the standard-base64 DSSE payload');
    }
    const payload = new Uint8Array(Buffer.from(payloadText, 'base64'));
    const hash = obj(content.hash, 'spec.content.hash');
    if (str(hash.algorithm, 'spec.content.hash.algorithm') !== 'sha256') invalid('spec.content.hash.algorithm must be sha256');
    const hashValue = str(hash.value, 'spec.content.hash.value');
    if (!/^[0-9a-fA-F]{64}$/.test(hashValue)) invalid('spec.content.hash.value must be 64 hex digits');

    const sigItems = arr(envelope.signatures, 'spec.content.envelope.signatures');
    if (sigItems.length === 0) invalid('spec.content.envelope.signatures must hold at least one signature');
    const stored = sigItems.map((raw, i) => {
      const path = `spec.content.envelope.signatures[${i}]`;
      const s = obj(raw, path);
      const keyid = s.keyid === undefined || s.keyid === null ? '' : s.keyid;
      if (typeof keyid !== 'string') invalid(`${path}.keyid must be a string`);
      const sig = b64(s.sig, `${path}.sig`);
      const publicKey = b64(s.publicKey, `${path}.publicKey`);
      return { keyid, sig, publicKey, key: parseKeyMaterial(publicKey, `${path}.publicKey`) };
    });
    for (const s of stored) s.key.assertAllowed('sha256', { message: true });
    const signatures = stored.map((s) => ({ keyid: s.keyid, sig: Buffer.from(s.sig).toString('latin1') }));
    verifyEnvelope(pae(payloadType, payload), signatures, stored.map((s) => s.key), 'spec.content.envelope');

    const payloadHash = createHash('sha256').update(payload).digest('hex');
    const body = canonicalizeToBytes({
      apiVersion: '0.0.2',
      kind: 'intoto',
      spec: {
        content: {
          envelope: {
            payloadType,
            signatures: stored.map((s) => ({
              keyid: s.keyid === '' ? undefined : s.keyid,
              publicKey: toB64(s.publicKey),
              sig: toB64(s.sig),
            })),
          },
          hash: { algorithm: 'sha256', value: hashValue },
          payloadHash: { algorithm: 'sha256', value: payloadHash },
        },
      },
    });
    const keyKeys = stored.flatMap((s) => [
      `sha256:${createHash('sha256').update(s.key.canonicalPem, 'utf8').digest('hex')}`,
      ...s.key.subjects,
    ]);
    return {
      body,
      searchKeys: normalizeSearchKeys([...keyKeys, `sha256:${payloadHash}`, ...inTotoSearchKeys(payloadType, payload)]),
    };
  },
};
