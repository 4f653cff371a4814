// dsse v0.0.1 (rekor.md §4, sigstore-js-client.md §1.3): the client proposes the envelope (as a JSON
// string) and candidate verifiers; every signature must verify over the PAE with some verifier, and
// every verifier must verify some signature. Stored: envelopeHash, payloadHash and the signatures
// sorted by signature text, each with its verifier as canonical PEM. Envelope and payload are not kept.
import { createHash } from 'node:crypto';
import { canonicalizeToBytes } from '../canonical-json.js';
import type { CanonicalEntry, Kind } from './kind.js';
import { normalizeSearchKeys } from './kind.js';
import { inTotoSearchKeys, pae } from './in-toto.js';
import { parseKeyMaterial, type KeyMaterial } from './key-material.js';
import { arr, b64, dsseB64, invalid, obj, str } from './spec-reader.js';
import { parseEnvelope, verifyEnvelope } from './envelope.js';

const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** The dsse 0.0.1 kind. */
export const dsseV001: Kind = {
  kind: 'dsse',
  apiVersion: '0.0.1',
  async canonicalize(rawSpec: unknown): Promise<CanonicalEntry> {
    const spec = obj(rawSpec, 'spec');
    if (spec.proposedContent === undefined || spec.proposedContent === null) {
      invalid('spec.proposedContent is missing (envelopeHash, payloadHash and signatures are computed by the log)');
    }
    if (spec.envelopeHash !== undefined || spec.payloadHash !== undefined || spec.signatures !== undefined) {
      invalid('either proposedContent or envelopeHash, payloadHash, and signatures must be present but not both');
    }
    const proposed = obj(spec.proposedContent, 'spec.proposedContent');
    const envelopeText = str(proposed.envelope, 'spec.proposedContent.envelope');
    const verifierList = arr(proposed.verifiers, 'spec.proposedContent.verifiers');
    if (verifierList.length === 0) invalid('spec.proposedContent.verifiers must hold at least one key or certificate');
    const keys: KeyMaterial[] = verifierList.map((v, i) =>
      parseKeyMaterial(b64(v, `spec.proposedContent.verifiers[${i}]`), `spec.proposedContent.verifiers[${i}]`),
    );
    for (const key of keys) key.assertAllowed('sha256', { message: true });

    const env = parseEnvelope(envelopeText, 'spec.proposedContent.envelope');
    const payload = dsseB64(env.payload, 'spec.proposedContent.envelope.payload');
    const keyBySig = verifyEnvelope(pae(env.payloadType, payload), env.signatures, keys, 'spec.proposedContent.envelope');

    const sortedSigs = [...keyBySig.keys()].sort();
    const signatures = sortedSigs.map((signature) => ({
      signature,
      verifier: Buffer.from(keyBySig.get(signature)!.canonicalPem, 'utf8').toString('base64'),
    }));
    const payloadHash = sha256Hex(payload);
    const envelopeHash = sha256Hex(Buffer.from(envelopeText, 'utf8'));
    const body = canonicalizeToBytes({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: envelopeHash },
        payloadHash: { algorithm: 'sha256', value: payloadHash },
        signatures,
      },
    });
    const keyKeys = [...new Set(keyBySig.values())].flatMap((k) => [`sha256:${sha256Hex(k.canonicalPem)}`, ...k.subjects]);
    return {
      body,
      searchKeys: normalizeSearchKeys([
        ...keyKeys,
        `sha256:${payloadHash}`,
        `sha256:${envelopeHash}`,
        ...inTotoSearchKeys(env.payloadType, payload),
      ]),
    };
  },
};
