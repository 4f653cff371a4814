// Validating an add-chain / add-pre-chain submission (RFC 6962 §4.1, §4.2): base64 DER certificates,
// a leaf that is (add-pre-chain) or is not (add-chain) a precertificate, and a path at the current
// time to one of the accepted roots. Every refusal is a LogError naming the reason.
import { createHash } from 'node:crypto';
import {
  CT_OIDS,
  MAX_CHAIN_LENGTH,
  type ParsedCertificate,
  PkiError,
  type SctEntry,
  issuerKeyHash,
  parseCertificate,
  pemDecodeAll,
  precertTbsForSct,
  verifyChain,
} from '@signet/pki';
import { LogError } from '../errors.js';

/** EKU of an RFC 6962 §3.1 Precertificate Signing Certificate (not supported, see ct-log.md). */
const PRECERT_SIGNING_EKU = '1.3.6.1.4.1.11129.2.4.4';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The certificates the log accepts chains to. */
export interface AcceptedRoots {
  /** Trust anchors (get-roots serves these). */
  anchors: ParsedCertificate[];
  /** Configured intermediates that chain to an anchor: submissions may stop at them. */
  intermediates: ParsedCertificate[];
}

/** A validated submission. */
export interface Submission {
  type: 'x509' | 'precert';
  /** The submitted leaf (precertificate or certificate) DER. */
  leafDer: Uint8Array;
  /** The validated issuers, first certifying the leaf, last an accepted root. */
  issuers: Uint8Array[];
  /** What the SCT and the Merkle leaf are about. */
  entry: SctEntry;
  /** SHA-256 of the leaf DER, hex: the duplicate-detection key. */
  leafFingerprint: string;
}

/** SHA-256 hex of DER bytes (static-ct-api fingerprints, dedup keys). */
export function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The accepted roots from a PEM file such as the CA's chain file: every self-signed certificate
 * and the last certificate are trust anchors; the others are intermediates, which must chain to an
 * anchor at `at`. Throws `LogError('BAD_CONFIG')` naming the problem.
 */
export function loadAcceptedRoots(pem: string, at: Date): AcceptedRoots {
  let certs: ParsedCertificate[];
  try {
    certs = pemDecodeAll(pem)
      .filter((b) => b.label === 'CERTIFICATE')
      .map((b) => parseCertificate(b.der));
  } catch (e) {
    throw new LogError('BAD_CONFIG', `CT roots: ${(e as Error).message}`, {}, { cause: e });
  }
  if (certs.length === 0) throw new LogError('BAD_CONFIG', 'CT roots: the file holds no CERTIFICATE block');
  const selfSigned = (c: ParsedCertificate) => Buffer.from(c.subject).equals(Buffer.from(c.issuer));
  const anchors = certs.filter((c, i) => selfSigned(c) || i === certs.length - 1);
  const intermediates = certs.filter((c) => !anchors.includes(c));
  for (const c of intermediates) {
    try {
      verifyChain(c, intermediates, anchors, at);
    } catch (e) {
      throw new LogError('BAD_CONFIG', `CT roots: intermediate ${c.serial.toString(16)} does not chain to a root in the file: ${(e as Error).message}`, {}, { cause: e });
    }
  }
  return { anchors, intermediates };
}

/**
 * Validates the `chain` member of an add-chain (`type` x509) or add-pre-chain (`type` precert)
 * body at time `at`. Throws `LogError('BAD_REQUEST')` for a malformed body (not a non-empty array,
 * bad base64, not a certificate, too long) and `LogError('CHAIN_REJECTED')` for a well-formed chain
 * the log refuses (poison missing or unexpected, expired or not yet valid, no path to an accepted
 * root, a precertificate signing certificate).
 */
export function validateSubmission(chain: unknown, type: 'x509' | 'precert', roots: AcceptedRoots, at: Date): Submission {
  if (!Array.isArray(chain) || chain.length === 0) throw new LogError('BAD_REQUEST', 'chain must be a non-empty array of base64 DER certificates');
  if (chain.length > MAX_CHAIN_LENGTH) throw new LogError('BAD_REQUEST', `chain has ${chain.length} certificates; at most ${MAX_CHAIN_LENGTH} are accepted`);
  const certs = chain.map((c, i) => {
    if (typeof c !== 'string' || c === '' || !BASE64.test(c)) throw new LogError('BAD_REQUEST', `chain[${i}] is not valid base64`);
    const der = Buffer.from(c, 'base64');
    // A submitted copy of a configured root or intermediate becomes the configured object, so that
    // verifyChain's per-object cache skips the CA-to-CA signatures it has already checked (a P-384
    // verification costs ~1 ms; every CA submits its whole chain with every precertificate).
    const configured = configuredCopy(roots, der);
    if (configured !== undefined) return configured;
    try {
      return parseCertificate(new Uint8Array(der));
    } catch (e) {
      throw new LogError('BAD_REQUEST', `chain[${i}] is not a DER X.509 certificate: ${(e as Error).message}`, {}, { cause: e });
    }
  });
  const leaf = certs[0]!;
  const poison = leaf.extensions.find((e) => e.oid === CT_OIDS.poison);
  if (type === 'x509' && poison !== undefined) {
    throw new LogError('CHAIN_REJECTED', 'chain[0] is a precertificate (it carries the CT poison extension); submit it to add-pre-chain');
  }
  if (type === 'precert') {
    if (poison === undefined) throw new LogError('CHAIN_REJECTED', 'chain[0] is not a precertificate: the CT poison extension 1.3.6.1.4.1.11129.2.4.3 is missing; submit final certificates to add-chain');
    if (!poison.critical) throw new LogError('CHAIN_REJECTED', 'chain[0] has a CT poison extension that is not critical (RFC 6962 §3.1)');
    if (poison.value.length !== 2 || poison.value[0] !== 0x05 || poison.value[1] !== 0x00) {
      throw new LogError('CHAIN_REJECTED', 'chain[0] has a CT poison extension whose value is not ASN.1 NULL');
    }
  }
  let path: ParsedCertificate[];
  try {
    path = verifyChain(leaf, [...certs.slice(1), ...roots.intermediates], roots.anchors, at, { allowPrecertificate: type === 'precert' });
  } catch (e) {
    if (e instanceof PkiError) throw new LogError('CHAIN_REJECTED', `chain does not validate to an accepted root: ${e.message}`, {}, { cause: e });
    throw e;
  }
  const issuers = path.slice(1).map((c) => c.der);
  let entry: SctEntry;
  if (type === 'precert') {
    const issuer = path[1];
    if (issuer === undefined) throw new LogError('CHAIN_REJECTED', 'a precertificate cannot itself be an accepted root');
    if (issuer.extKeyUsage?.includes(PRECERT_SIGNING_EKU)) {
      throw new LogError('CHAIN_REJECTED', 'precertificates signed by a Precertificate Signing Certificate are not supported; sign them with the issuing CA key');
    }
    entry = { type: 'precert', issuerKeyHash: issuerKeyHash(issuer.spki), tbs: precertTbsForSct(leaf.der) };
  } else {
    entry = { type: 'x509', certDer: leaf.der };
  }
  return { type, leafDer: leaf.der, issuers, entry, leafFingerprint: fingerprint(leaf.der) };
}

/** The configured anchor or intermediate whose DER is `der`, if any. */
function configuredCopy(roots: AcceptedRoots, der: Buffer): ParsedCertificate | undefined {
  for (const list of [roots.intermediates, roots.anchors]) {
    for (const c of list) if (c.der.length === der.length && der.equals(c.der)) return c;
  }
  return undefined;
}
