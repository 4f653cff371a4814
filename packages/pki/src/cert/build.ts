// Signing certificate templates (RFC 5280 §4.1): the TBSCertificate is assembled from precomputed
// byte runs (version, algorithm identifier, issuer Name, extensions) plus the few per-certificate
// fields, then signed by the issuer's Signer. Profiles (what goes in) live in profile.ts.
import { PkiError } from '../errors.js';
import type { SignatureAlgorithm, Signer } from '../keys/signer.js';
import { allocBytes, explicit, int, lengthSize, nul, oid, seq, TAG, time, writeLength } from '../der/writer.js';
import { type Extension, makeExtension } from './extensions.js';
import { encodeName, type NameInput } from './name.js';
import { CT_OIDS, SIG_OIDS } from './oids.js';
import { caTemplate, type CertificateTemplate, keyIdentifier } from './profile.js';
import { parseCertificate } from './parse.js';

/** The issuing CA as the builder needs it. */
export interface IssuerInfo {
  /** The issuer's subject Name DER; becomes the issued certificate's issuer field. */
  subjectDer: Uint8Array;
  /** The issuer's subject key identifier; becomes the AKI of what it issues. */
  ski: Uint8Array;
  signer: Signer;
}

/** Options of issueCertificate. */
export interface IssueOptions {
  /** Adds the critical CT poison extension last (RFC 6962 §3.1). */
  precertificate?: boolean;
  /** Adds the SCT-list extension last, with this extnValue (the output of encodeSctList). */
  sctList?: Uint8Array;
}

const VERSION_3 = explicit(0, int(2));

/** AlgorithmIdentifier DER by signature algorithm (RFC 5758 §3.2: no parameters for ECDSA). */
export const SIGNATURE_ALGORITHM_IDS: Readonly<Record<SignatureAlgorithm, Uint8Array>> = {
  'ecdsa-p256-sha256': seq(oid(SIG_OIDS.ecdsaWithSha256)),
  'ecdsa-p384-sha384': seq(oid(SIG_OIDS.ecdsaWithSha384)),
  'ecdsa-p521-sha512': seq(oid(SIG_OIDS.ecdsaWithSha512)),
  ed25519: seq(oid(SIG_OIDS.ed25519)),
  'rsa-pkcs1-sha256': seq(oid(SIG_OIDS.sha256WithRsa), nul()),
};

/** The critical precertificate poison extension, value NULL (RFC 6962 §3.1). */
export const CT_POISON_EXT: Extension = makeExtension(CT_OIDS.poison, true, nul());

/**
 * The DER TBSCertificate of `template` issued by `issuer` (exported for benchmarks and tests).
 * Throws PkiError('BAD_TEMPLATE') when both precertificate and sctList are asked for, or the
 * template already carries a CT extension.
 */
export function encodeTbsCertificate(template: CertificateTemplate, issuer: IssuerInfo, opts: IssueOptions = {}): Uint8Array {
  if (opts.precertificate && opts.sctList !== undefined) {
    throw new PkiError('BAD_TEMPLATE', 'a certificate is either a precertificate or carries SCTs, not both');
  }
  const exts = template.extensions;
  const extDers: Uint8Array[] = [];
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i]!;
    if (e.oid === CT_OIDS.poison || e.oid === CT_OIDS.sctList) {
      throw new PkiError('BAD_TEMPLATE', 'CT extensions are added by issueCertificate, not by templates');
    }
    extDers.push(e.der);
  }
  if (opts.precertificate) extDers.push(CT_POISON_EXT.der);
  if (opts.sctList !== undefined) extDers.push(makeExtension(CT_OIDS.sctList, false, opts.sctList).der);
  // One allocation: the TBS SEQUENCE, its fixed fields, then [3] { SEQUENCE { extensions } }.
  const serial = int(template.serial);
  const algId = algorithmId(issuer.signer);
  const notBefore = time(template.notBefore);
  const notAfter = time(template.notAfter);
  const validityLen = notBefore.length + notAfter.length;
  let extLen = 0;
  for (let i = 0; i < extDers.length; i++) extLen += extDers[i]!.length;
  const extSeqLen = extLen > 0 ? 1 + lengthSize(extLen) + extLen : 0;
  const extCtxLen = extLen > 0 ? 1 + lengthSize(extSeqLen) + extSeqLen : 0;
  const bodyLen =
    VERSION_3.length +
    serial.length +
    algId.length +
    issuer.subjectDer.length +
    1 + lengthSize(validityLen) + validityLen +
    template.subjectDer.length +
    template.publicKeySpki.length +
    extCtxLen;
  const out = allocBytes(1 + lengthSize(bodyLen) + bodyLen);
  out[0] = TAG.SEQUENCE;
  let at = writeLength(out, 1, bodyLen);
  const put = (b: Uint8Array): void => {
    out.set(b, at);
    at += b.length;
  };
  put(VERSION_3);
  put(serial);
  put(algId);
  put(issuer.subjectDer);
  out[at++] = TAG.SEQUENCE;
  at = writeLength(out, at, validityLen);
  put(notBefore);
  put(notAfter);
  put(template.subjectDer);
  put(template.publicKeySpki);
  if (extLen > 0) {
    out[at++] = TAG.CONTEXT | TAG.CONSTRUCTED | 3;
    at = writeLength(out, at, extSeqLen);
    out[at++] = TAG.SEQUENCE;
    at = writeLength(out, at, extLen);
    for (let i = 0; i < extDers.length; i++) put(extDers[i]!);
  }
  return out;
}

/**
 * Signs `template` as `issuer` and returns the certificate DER. Precertificates and final
 * certificates of one template differ only by the last extension (poison vs SCT list), so the
 * SCT issued for the precertificate verifies against the final certificate (RFC 6962 §3.2).
 * Throws PkiError('BAD_TEMPLATE') on conflicting options; the signer's errors pass through.
 */
export async function issueCertificate(template: CertificateTemplate, issuer: IssuerInfo, opts: IssueOptions = {}): Promise<Uint8Array> {
  const tbs = encodeTbsCertificate(template, issuer, opts);
  const signature = await issuer.signer.sign(tbs);
  return assembleCertificate(tbs, algorithmId(issuer.signer), signature);
}

/** `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }` in one allocation. */
export function assembleCertificate(tbs: Uint8Array, algId: Uint8Array, signature: Uint8Array): Uint8Array {
  const bitLen = signature.length + 1;
  const inner = tbs.length + algId.length + 1 + lengthSize(bitLen) + bitLen;
  const out = new Uint8Array(1 + lengthSize(inner) + inner);
  out[0] = TAG.SEQUENCE;
  let at = writeLength(out, 1, inner);
  out.set(tbs, at);
  at += tbs.length;
  out.set(algId, at);
  at += algId.length;
  out[at++] = TAG.BIT_STRING;
  at = writeLength(out, at, bitLen);
  out[at++] = 0;
  out.set(signature, at);
  return out;
}

function algorithmId(signer: Signer): Uint8Array {
  const id = SIGNATURE_ALGORITHM_IDS[signer.algorithm];
  if (id === undefined) throw new PkiError('UNSUPPORTED_ALGORITHM', `cannot sign certificates with ${signer.algorithm}`);
  return id;
}

/** Inputs of createRootCa. */
export interface RootCaOptions {
  signer: Signer;
  subject: NameInput;
  notBefore: Date;
  validitySeconds: number;
  serial: bigint;
  /** basicConstraints pathLen; default 1 (root → intermediate → leaf). */
  pathLen?: number;
}

/**
 * A self-signed root CA certificate (Fulcio's root profile: KU certSign|crlSign, CA:TRUE, SKI,
 * no EKU, no AKI). Throws PkiError('BAD_TEMPLATE') on bad inputs.
 */
export async function createRootCa(opts: RootCaOptions): Promise<Uint8Array> {
  const subjectDer = encodeName(opts.subject);
  const spki = opts.signer.publicKeyDer;
  const template = caTemplate({
    subjectDer,
    publicKeySpki: spki,
    notBefore: opts.notBefore,
    validitySeconds: opts.validitySeconds,
    serial: opts.serial,
    pathLen: opts.pathLen ?? 1,
    codeSigning: false,
  });
  return issueCertificate(template, { subjectDer, ski: keyIdentifier(spki), signer: opts.signer });
}

/** Inputs of createIntermediateCa. */
export interface IntermediateCaOptions {
  /** The intermediate's own key (its public key goes in the certificate). */
  signer: Signer;
  /** The parent CA that signs it. */
  issuer: IssuerInfo;
  subject: NameInput;
  notBefore: Date;
  validitySeconds: number;
  serial: bigint;
  /** basicConstraints pathLen; default 0 (issues leaves only). */
  pathLen?: number;
}

/**
 * An intermediate CA certificate (Fulcio's intermediate profile: KU certSign|crlSign, EKU
 * codeSigning, CA:TRUE pathLen 0, SKI, AKI = the parent's SKI). Throws PkiError('BAD_TEMPLATE').
 */
export async function createIntermediateCa(opts: IntermediateCaOptions): Promise<Uint8Array> {
  const template = caTemplate({
    subjectDer: encodeName(opts.subject),
    publicKeySpki: opts.signer.publicKeyDer,
    notBefore: opts.notBefore,
    validitySeconds: opts.validitySeconds,
    serial: opts.serial,
    pathLen: opts.pathLen ?? 0,
    codeSigning: true,
    authorityKeyId: opts.issuer.ski,
  });
  return issueCertificate(template, opts.issuer);
}

/**
 * The IssuerInfo of a CA certificate whose private key `signer` holds. The SKI comes from the
 * certificate (or is computed like Go when absent). Throws PkiError('BAD_CERTIFICATE') when the
 * certificate is malformed or not a CA, PkiError('KEY_MISMATCH') when the signer's key differs.
 */
export function issuerInfoFromCertificate(certDer: Uint8Array, signer: Signer): IssuerInfo {
  const cert = parseCertificate(certDer);
  if (!cert.isCa) throw new PkiError('BAD_CERTIFICATE', 'issuer certificate is not a CA (basicConstraints CA:TRUE missing)');
  if (!Buffer.from(cert.spki).equals(Buffer.from(signer.publicKeyDer))) {
    throw new PkiError('KEY_MISMATCH', "the signer's public key is not the certificate's");
  }
  return { subjectDer: cert.subject.slice(), ski: (cert.ski ?? keyIdentifier(cert.spki)).slice(), signer };
}
