import { createHash, createPublicKey, verify } from 'node:crypto';
import { pemEncode, type Signer } from '@signet/pki';
import { canonicalJson } from '../canonical-json.js';
import { TrustError } from '../errors.js';

/**
 * TUF 1.0 metadata (theupdateframework.io specification §4): the four top-level roles, their
 * signing and verification. Keys are ECDSA P-256 (`ecdsa`/`ecdsa-sha2-nistp256`, PEM, the form
 * Sigstore's own repository uses) or Ed25519 (`ed25519`, hex) — the two schemes tuf-js verifies
 * with the digest it assumes (SHA-256 for EC keys).
 */

/** The TUF specification version written into every role. */
export const SPEC_VERSION = '1.0.31';
/** The four top-level TUF roles. */
export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';

/** A TUF public key as root.json lists it (spec §4.2). */
export interface TufKey {
  keytype: 'ecdsa' | 'ed25519';
  scheme: 'ecdsa-sha2-nistp256' | 'ed25519';
  keyval: { public: string };
}

/** The `signed` part common to every role (spec §4.2). */
export interface Signed {
  _type: RoleName;
  spec_version: string;
  version: number;
  expires: string;
  [field: string]: unknown;
}

/** root.json's `signed`: the keys and the key IDs + threshold of each role (spec §4.3). */
export interface RootSigned extends Signed {
  _type: 'root';
  keys: Record<string, TufKey>;
  roles: Record<RoleName, { keyids: string[]; threshold: number }>;
  consistent_snapshot: boolean;
}

/** A signed metadata file: `signed` plus signatures over its canonical JSON (spec §4.2). */
export interface Envelope<T extends Signed = Signed> {
  signed: T;
  signatures: { keyid: string; sig: string }[];
}

/** The TUF key object of a signer. Throws `TrustError('BAD_INPUT')` for algorithms tuf-js can't verify. */
export function tufKeyOf(signer: Signer): TufKey {
  switch (signer.algorithm) {
    case 'ecdsa-p256-sha256':
      return { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: pemEncode('PUBLIC KEY', signer.publicKeyDer) } };
    case 'ed25519':
      return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: Buffer.from(signer.publicKeyDer.subarray(-32)).toString('hex') } };
    default:
      throw new TrustError('BAD_INPUT', `TUF keys must be ECDSA P-256 or Ed25519, not ${signer.algorithm}`);
  }
}

/** Key ID: hex SHA-256 of the key object's canonical JSON (the python-tuf convention). */
export function keyIdOf(key: TufKey): string {
  return createHash('sha256').update(canonicalJson(key)).digest('hex');
}

/** TUF's expiry format: RFC 3339 in UTC, whole seconds, `Z`. */
export function expiresAt(now: Date, days: number): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + days * 86_400_000).toISOString().replace('.000Z', 'Z');
}

/** Signs `signed` with every signer (signatures over its canonical JSON, hex). */
export async function signMetadata<T extends Signed>(signed: T, signers: Signer[]): Promise<Envelope<T>> {
  const bytes = Buffer.from(canonicalJson(signed));
  const signatures = await Promise.all(
    signers.map(async (s) => ({ keyid: keyIdOf(tufKeyOf(s)), sig: Buffer.from(await s.sign(bytes)).toString('hex') })),
  );
  return { signed, signatures };
}

function publicKeyOf(key: TufKey) {
  if (key.keytype === 'ecdsa') return createPublicKey(key.keyval.public);
  const raw = Buffer.from(key.keyval.public, 'hex');
  return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
}

/**
 * Verifies that `envelope` carries at least `threshold` valid signatures by distinct keys among
 * `keyids` of `root`. Throws `TrustError('THRESHOLD_NOT_MET')` naming the role and the count.
 */
export function verifyThreshold(envelope: Envelope, root: RootSigned, role: RoleName): void {
  const { keyids, threshold } = root.roles[role];
  const bytes = Buffer.from(canonicalJson(envelope.signed));
  const good = new Set<string>();
  for (const { keyid, sig } of envelope.signatures) {
    const key = root.keys[keyid];
    if (!key || !keyids.includes(keyid) || good.has(keyid)) continue;
    if (verify(undefined, bytes, publicKeyOf(key), Buffer.from(sig, 'hex'))) good.add(keyid);
  }
  if (good.size < threshold) {
    throw new TrustError('THRESHOLD_NOT_MET', `${role} metadata has ${good.size} valid signatures, needs ${threshold}`);
  }
}
