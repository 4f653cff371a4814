// The certificate profile as data (Fulcio pkg/ca/common.go, docs/certificate-specification.md):
// pure functions from identity fields, a public key, a time and a serial to a CertificateTemplate.
// Signing lives in build.ts. Constant extensions are encoded once, at module load.
import { hash, randomFillSync } from 'node:crypto';
import { decodeBitStringBytes, readDer } from '../der/reader.js';
import {
  bool,
  ia5Tagged,
  implicitConstructed,
  implicitPrimitive,
  explicit,
  int,
  namedBits,
  octet,
  oid,
  seq,
  TAG,
  utf8,
} from '../der/writer.js';
import { PkiError } from '../errors.js';
import type { IssuerInfo } from './build.js';
import { encodeSigstoreExtension, type Extension, makeExtension, sigstoreArcNumber, sigstoreEncoding } from './extensions.js';
import { EMPTY_NAME } from './name.js';
import { EKU_OIDS, EXT_OIDS, SIGSTORE_OIDS } from './oids.js';

/** Fulcio's fixed leaf lifetime: 10 minutes. */
export const DEFAULT_LEAF_VALIDITY_SECONDS = 600;

/** Everything a certificate needs except the issuer and the signature. Pure data. */
export interface CertificateTemplate {
  readonly serial: bigint;
  /** Whole seconds (certificates carry no fractions). */
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject Name DER (the empty Name for Fulcio leaves). */
  readonly subjectDer: Uint8Array;
  /** The subject's DER SubjectPublicKeyInfo, embedded as is. */
  readonly publicKeySpki: Uint8Array;
  /** In certificate order. */
  readonly extensions: readonly Extension[];
}

/** The one Subject Alternative Name of a leaf. `otherName` is Fulcio's username type (OID 1.7). */
export interface SubjectAltName {
  type: 'email' | 'uri' | 'dns' | 'otherName';
  value: string;
}

/** What the CA knows about a certificate request once the identity is verified. */
export interface LeafProfileInput {
  subjectAltName: SubjectAltName;
  /** Sigstore extensions (OIDs 1.3.6.1.4.1.57264.1.1-1.6 and 1.8+); emitted in OID order, empty values dropped. */
  sigstoreExtensions: readonly { oid: string; value: string }[];
  publicKeySpki: Uint8Array;
  notBefore: Date;
  /** Default DEFAULT_LEAF_VALIDITY_SECONDS (600). */
  validitySeconds?: number;
  serial: bigint;
}

// KeyUsage bits (RFC 5280 §4.2.1.3).
const KU_DIGITAL_SIGNATURE = 0;
const KU_KEY_CERT_SIGN = 5;
const KU_CRL_SIGN = 6;

/** keyUsage digitalSignature, critical. */
export const KU_DIGITAL_SIGNATURE_EXT: Extension = makeExtension(EXT_OIDS.keyUsage, true, namedBits([KU_DIGITAL_SIGNATURE]));
/** keyUsage keyCertSign | cRLSign, critical (CA certificates). */
export const KU_CA_EXT: Extension = makeExtension(EXT_OIDS.keyUsage, true, namedBits([KU_KEY_CERT_SIGN, KU_CRL_SIGN]));
/** extKeyUsage codeSigning, non-critical. */
export const EKU_CODE_SIGNING_EXT: Extension = makeExtension(EXT_OIDS.extKeyUsage, false, seq(oid(EKU_OIDS.codeSigning)));

const MAX_SERIAL = 1n << 159n; // 20 octets, positive

/**
 * The Fulcio leaf profile: v3, empty subject, KU digitalSignature (critical), EKU codeSigning,
 * SKI (SHA-1 of the key's BIT STRING, like Go), AKI = the issuer's SKI, exactly one SAN (critical,
 * because the subject is empty), then the Sigstore extensions in OID order. No basicConstraints:
 * Fulcio emits none on leaves (absent means "not a CA", RFC 5280 §4.2.1.9).
 * Throws PkiError('BAD_TEMPLATE') on a bad serial, validity, SAN, SPKI or Sigstore OID, or a duplicate OID.
 */
export function leafTemplate(input: LeafProfileInput, issuer: Pick<IssuerInfo, 'ski'>): CertificateTemplate {
  const validity = input.validitySeconds ?? DEFAULT_LEAF_VALIDITY_SECONDS;
  const { notBefore, notAfter } = validityWindow(input.notBefore, validity);
  checkSerial(input.serial);
  const extensions: Extension[] = [
    KU_DIGITAL_SIGNATURE_EXT,
    EKU_CODE_SIGNING_EXT,
    subjectKeyIdentifierExtension(input.publicKeySpki),
    authorityKeyIdentifierExtension(issuer.ski),
    subjectAltNameExtension(input.subjectAltName),
  ];
  const sigstore: { n: number; oid: string; value: string }[] = [];
  let sorted = true;
  for (const e of input.sigstoreExtensions) {
    if (e.value === '') continue;
    sigstoreEncoding(e.oid); // rejects OIDs that are not Sigstore extensions
    const n = sigstoreArcNumber(e.oid)!;
    if (sigstore.length > 0 && n <= sigstore[sigstore.length - 1]!.n) sorted = false;
    sigstore.push({ n, oid: e.oid, value: e.value });
  }
  if (!sorted) sigstore.sort((a, b) => a.n - b.n);
  for (let i = 0; i < sigstore.length; i++) {
    if (i > 0 && sigstore[i]!.n === sigstore[i - 1]!.n) {
      throw new PkiError('BAD_TEMPLATE', `Sigstore extension ${sigstore[i]!.oid} given twice`);
    }
    extensions.push(encodeSigstoreExtension(sigstore[i]!.oid, sigstore[i]!.value));
  }
  return { serial: input.serial, notBefore, notAfter, subjectDer: EMPTY_NAME, publicKeySpki: input.publicKeySpki, extensions };
}

/** What a CA certificate's profile needs. */
export interface CaProfileInput {
  subjectDer: Uint8Array;
  publicKeySpki: Uint8Array;
  notBefore: Date;
  validitySeconds: number;
  serial: bigint;
  /** basicConstraints pathLenConstraint; omitted when undefined. */
  pathLen?: number;
  /** Adds EKU codeSigning (Fulcio's intermediates carry it; roots must not). */
  codeSigning: boolean;
  /** The issuer's SKI, for the AKI; omitted for self-signed roots (Go's behaviour). */
  authorityKeyId?: Uint8Array;
}

/**
 * A CA certificate profile (Fulcio docs/certificate-specification.md): KU keyCertSign|cRLSign
 * (critical), [EKU codeSigning], basicConstraints CA:TRUE (critical) with the path length, SKI,
 * [AKI]. Throws PkiError('BAD_TEMPLATE') on bad inputs.
 */
export function caTemplate(input: CaProfileInput): CertificateTemplate {
  const { notBefore, notAfter } = validityWindow(input.notBefore, input.validitySeconds);
  checkSerial(input.serial);
  if (input.pathLen !== undefined && !(Number.isInteger(input.pathLen) && input.pathLen >= 0)) {
    throw new PkiError('BAD_TEMPLATE', `pathLen ${input.pathLen} must be a non-negative integer`);
  }
  const bc = input.pathLen === undefined ? seq(bool(true)) : seq(bool(true), int(input.pathLen));
  const extensions: Extension[] = [KU_CA_EXT];
  if (input.codeSigning) extensions.push(EKU_CODE_SIGNING_EXT);
  extensions.push(makeExtension(EXT_OIDS.basicConstraints, true, bc));
  extensions.push(subjectKeyIdentifierExtension(input.publicKeySpki));
  if (input.authorityKeyId !== undefined) extensions.push(authorityKeyIdentifierExtension(input.authorityKeyId));
  return { serial: input.serial, notBefore, notAfter, subjectDer: input.subjectDer, publicKeySpki: input.publicKeySpki, extensions };
}

/**
 * A random positive serial of at most 159 bits (20 octets in DER), as Go and Fulcio draw them.
 * `random(n)` must return n random bytes (default: node:crypto randomness, pooled).
 */
export function randomSerial(random: (n: number) => Uint8Array = pooledRandomBytes): bigint {
  for (;;) {
    const b = random(20);
    if (b.length !== 20) throw new PkiError('BAD_TEMPLATE', 'random source returned the wrong length');
    let v = BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, 20).toString('hex'));
    v &= MAX_SERIAL - 1n;
    if (v !== 0n) return v;
  }
}

const randomPool = Buffer.alloc(4096);
let randomUsed = randomPool.length;

/** node:crypto random bytes drawn from a refilled 4 KiB pool (one native call per 200 serials). */
function pooledRandomBytes(n: number): Uint8Array {
  if (randomUsed + n > randomPool.length) {
    randomFillSync(randomPool);
    randomUsed = 0;
  }
  const out = randomPool.subarray(randomUsed, randomUsed + n);
  randomUsed += n;
  return out;
}

/**
 * The RFC 5280 §4.2.1.2 method-1 key identifier: SHA-1 of the subjectPublicKey BIT STRING bytes.
 * Throws PkiError('BAD_TEMPLATE') when `spki` is not a SubjectPublicKeyInfo.
 */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  let key: Uint8Array;
  try {
    const c = readDer(spki).cursor();
    c.next(TAG.SEQUENCE, 'algorithm');
    key = decodeBitStringBytes(c.next(TAG.BIT_STRING, 'subjectPublicKey'));
    c.finish('SubjectPublicKeyInfo');
  } catch (e) {
    throw new PkiError('BAD_TEMPLATE', 'public key is not a DER SubjectPublicKeyInfo', { cause: e });
  }
  return new Uint8Array(hash('sha1', key, 'buffer'));
}

/** subjectKeyIdentifier (non-critical) of `spki`. */
export function subjectKeyIdentifierExtension(spki: Uint8Array): Extension {
  return makeExtension(EXT_OIDS.subjectKeyIdentifier, false, octet(keyIdentifier(spki)));
}

const akiCache = new WeakMap<Uint8Array, Extension>();

/** authorityKeyIdentifier (non-critical) with keyIdentifier = `ski`; cached per `ski` array. */
export function authorityKeyIdentifierExtension(ski: Uint8Array): Extension {
  let ext = akiCache.get(ski);
  if (ext === undefined) {
    ext = makeExtension(EXT_OIDS.authorityKeyIdentifier, false, seq(implicitPrimitive(0, ski)));
    akiCache.set(ski, ext);
  }
  return ext;
}

/** subjectAltName with exactly one GeneralName, critical (the subject is empty, RFC 5280 §4.2.1.6). */
export function subjectAltNameExtension(san: SubjectAltName): Extension {
  if (san.value === '') throw new PkiError('BAD_TEMPLATE', `empty ${san.type} SAN`);
  let name: Uint8Array;
  try {
    switch (san.type) {
      case 'email':
        name = ia5Tagged(TAG.CONTEXT | 1, san.value);
        break;
      case 'dns':
        name = ia5Tagged(TAG.CONTEXT | 2, san.value);
        break;
      case 'uri':
        name = ia5Tagged(TAG.CONTEXT | 6, san.value);
        break;
      case 'otherName':
        name = implicitConstructed(0, oid(SIGSTORE_OIDS.OtherName), explicit(0, utf8(san.value)));
        break;
      default:
        throw new PkiError('BAD_TEMPLATE', `unknown SAN type ${(san as { type: string }).type}`);
    }
  } catch (e) {
    if (e instanceof PkiError && e.code === 'BAD_TEMPLATE') throw e;
    throw new PkiError('BAD_TEMPLATE', `${san.type} SAN must be ASCII`, { cause: e });
  }
  return makeExtension(EXT_OIDS.subjectAltName, true, seq(name));
}

function validityWindow(from: Date, seconds: number): { notBefore: Date; notAfter: Date } {
  const ms = from.getTime();
  if (!Number.isFinite(ms)) throw new PkiError('BAD_TEMPLATE', 'notBefore is not a valid date');
  if (!(Number.isInteger(seconds) && seconds > 0)) {
    throw new PkiError('BAD_TEMPLATE', `validity of ${seconds} seconds must be a positive integer`);
  }
  const start = Math.floor(ms / 1000) * 1000;
  return { notBefore: new Date(start), notAfter: new Date(start + seconds * 1000) };
}

function checkSerial(serial: bigint): void {
  if (serial <= 0n || serial >= MAX_SERIAL) {
    throw new PkiError('BAD_TEMPLATE', 'serial must be positive and fit 20 octets (< 2^159)');
  }
}
