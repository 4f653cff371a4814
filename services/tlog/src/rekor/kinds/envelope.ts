// DSSE envelopes as Rekor reads them: JSON with `payloadType`, `payload` (base64) and `signatures`
// [{keyid, sig}], and the all-signatures-verified rule shared by dsse 0.0.1 and intoto 0.0.2.
import type { KeyMaterial } from './key-material.js';
import { dsseB64, invalid } from './spec-reader.js';

/** One DSSE signature; `sig` is kept as the base64 text the client sent. */
export interface EnvelopeSignature {
  keyid: string;
  sig: string;
}

/** A parsed DSSE envelope. */
export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: EnvelopeSignature[];
}

/**
 * Parses a DSSE envelope from its JSON text. Field names match case-insensitively and unknown fields
 * are ignored, as Go's encoding/json does. Throws ENTRY_INVALID naming `path`.
 */
export function parseEnvelope(text: string, path: string): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    invalid(`${path} is not valid JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(`${path} must be a JSON object`);
  const field = (o: object, name: string): unknown => {
    for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === name.toLowerCase()) return v;
    return undefined;
  };
  const payloadType = field(raw, 'payloadType') ?? '';
  const payload = field(raw, 'payload') ?? '';
  if (typeof payloadType !== 'string') invalid(`${path}.payloadType must be a string`);
  if (typeof payload !== 'string') invalid(`${path}.payload must be a string`);
  const sigs = field(raw, 'signatures') ?? [];
  if (!Array.isArray(sigs)) invalid(`${path}.signatures must be an array`);
  if (sigs.length === 0) invalid(`${path} must contain 1 or more signatures`);
  const signatures = sigs.map((s, i) => {
    if (typeof s !== 'object' || s === null) invalid(`${path}.signatures[${i}] must be an object`);
    const keyid = field(s, 'keyid') ?? '';
    const sig = field(s, 'sig');
    if (typeof keyid !== 'string') invalid(`${path}.signatures[${i}].keyid must be a string`);
    if (typeof sig !== 'string' || sig === '') invalid(`${path}.signatures[${i}].sig is missing`);
    return { keyid, sig };
  });
  return { payloadType, payload, signatures };
}

/**
 * Checks that every signature verifies over `message` (the PAE) with some key and that every key
 * verifies some signature. Returns the key that verified each distinct signature text (the last
 * matching key wins, as in Rekor). Throws ENTRY_INVALID naming what failed.
 */
export function verifyEnvelope(
  message: Uint8Array,
  signatures: EnvelopeSignature[],
  keys: KeyMaterial[],
  path: string,
): Map<string, KeyMaterial> {
  const decoded = signatures.map((s, i) => ({ text: s.sig, bytes: dsseB64(s.sig, `${path}.signatures[${i}].sig`) }));
  const keyBySig = new Map<string, KeyMaterial>();
  keys.forEach((key, k) => {
    let accepted = 0;
    for (const s of decoded) {
      if (key.verifyMessage(message, s.bytes)) {
        keyBySig.set(s.text, key);
        accepted++;
      }
    }
    if (accepted === 0) invalid(`verifier ${k} does not verify any signature of the envelope`);
  });
  decoded.forEach((s, i) => {
    if (!keyBySig.has(s.text)) invalid(`${path}.signatures[${i}] is not verified by any of the given verifiers`);
  });
  return keyBySig;
}
