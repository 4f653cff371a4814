// Opening the CA's key and chain at start: ephemeral (made here), file or PKCS#11 (validated here).
import { type KeyObject, X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  EKU_OIDS,
  EphemeralSigner,
  type IssuerInfo,
  KEY_USAGE,
  type ParsedCertificate,
  PkiError,
  type Signer,
  createIntermediateCa,
  createRootCa,
  issuerInfoFromCertificate,
  openSigner,
  parseCertificatePem,
  parsePublicKey,
  randomSerial,
} from '@signet/pki';
import type { CaKeyBackend } from './config.js';
import { CaError } from './errors.js';

/** The issuing CA as the service uses it. */
export interface Authority {
  issuer: IssuerInfo;
  /** Issuing CA first, root last. */
  chainDer: Uint8Array[];
  close(): Promise<void>;
}

/** The material of an ephemeral CA, handed from a cluster primary to its workers over IPC. */
export interface EphemeralCaMaterial {
  /** The intermediate's PKCS#8 private key, PEM (never written anywhere). */
  keyPem: string;
  /** Intermediate then root, DER as base64. */
  chainB64: string[];
}

/** Lifetimes of the ephemeral root and intermediate (Fulcio's ephemeralca uses 10 years). */
const EPHEMERAL_CA_SECONDS = 10 * 365 * 86_400;

/**
 * Makes a fresh P-384 root and P-384 intermediate (CA:TRUE pathLen 0, EKU codeSigning) in memory.
 * The root key is dropped once the intermediate is signed. Throws CaError('CA_BACKEND_ERROR').
 */
export async function createEphemeralCa(now: Date): Promise<EphemeralCaMaterial> {
  const rootSigner = EphemeralSigner.generate('ecdsa-p384-sha384');
  const key = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  try {
    const notBefore = new Date(now.getTime() - 60_000); // tolerate small clock skew between processes
    const root = await createRootCa({
      signer: rootSigner,
      subject: { organization: 'Signet', commonName: 'Signet ephemeral root' },
      notBefore,
      validitySeconds: EPHEMERAL_CA_SECONDS,
      serial: randomSerial(),
    });
    const rootInfo = issuerInfoFromCertificate(root, rootSigner);
    const intermediate = await createIntermediateCa({
      signer: new EphemeralSigner(key),
      issuer: rootInfo,
      subject: { organization: 'Signet', commonName: 'Signet ephemeral intermediate' },
      notBefore,
      validitySeconds: EPHEMERAL_CA_SECONDS,
      serial: randomSerial(),
    });
    return {
      keyPem: key.export({ format: 'pem', type: 'pkcs8' }) as string,
      chainB64: [intermediate, root].map((d) => Buffer.from(d).toString('base64')),
    };
  } catch (err) {
    throw new CaError('CA_BACKEND_ERROR', `cannot create the ephemeral CA: ${(err as Error).message}`, { cause: err });
  } finally {
    await rootSigner.close();
  }
}

/** The Authority over ephemeral CA material (made here or received from the cluster primary). */
export function authorityFromEphemeral(material: EphemeralCaMaterial): Authority {
  const key: KeyObject = createPrivateKey(material.keyPem);
  const signer = new EphemeralSigner(key);
  const chainDer = material.chainB64.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
  return { issuer: issuerInfoFromCertificate(chainDer[0]!, signer), chainDer, close: () => signer.close() };
}

/**
 * Opens the configured key backend. `file` and `pkcs11` load the chain PEM and validate it (see
 * validateChain); `ephemeral` makes a fresh CA. Throws CaError('BAD_CONFIG') naming the problem.
 */
export async function openAuthority(key: CaKeyBackend, now: Date): Promise<Authority> {
  if (key.kind === 'ephemeral') return authorityFromEphemeral(await createEphemeralCa(now));
  const chain = await readChain(key.chainPath);
  let signer: Signer;
  try {
    signer =
      key.kind === 'file'
        ? await openSigner({ kind: 'file', path: key.keyPath, ...(key.password !== undefined ? { password: key.password } : {}) })
        : await openSigner({ ...key, kind: 'pkcs11' });
  } catch (err) {
    throw new CaError('BAD_CONFIG', `CA key (${key.kind}): ${(err as Error).message}`, { cause: err });
  }
  try {
    const issuer = validateChain(chain, signer, now);
    return { issuer, chainDer: chain.map((c) => c.der), close: () => signer.close() };
  } catch (err) {
    await signer.close();
    throw err;
  }
}

async function readChain(path: string): Promise<ParsedCertificate[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CaError('BAD_CONFIG', `cannot read the CA chain file ${path}`, { cause: err });
  }
  try {
    const chain = parseCertificatePem(text);
    if (chain.length === 0) throw new CaError('BAD_CONFIG', `CA chain file ${path} holds no CERTIFICATE block`);
    return chain;
  } catch (err) {
    if (err instanceof CaError) throw err;
    throw new CaError('BAD_CONFIG', `CA chain file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Fulcio's start-up checks: the chain's first certificate is a CA whose key is the signer's and
 * which may sign certificates; with intermediates it carries EKU codeSigning (any EKU must allow
 * it); the key passes the weak-key checks; each certificate is signed by the next, is valid now,
 * and the last one is a self-signed root. Throws CaError('BAD_CONFIG') naming the failed check.
 */
export function validateChain(chain: readonly ParsedCertificate[], signer: Signer, now: Date): IssuerInfo {
  const bad = (msg: string, cause?: unknown) => new CaError('BAD_CONFIG', `CA chain: ${msg}`, { cause });
  const first = chain[0]!;
  let issuer: IssuerInfo;
  try {
    issuer = issuerInfoFromCertificate(first.der, signer);
    parsePublicKey(first.spki);
  } catch (err) {
    if (err instanceof PkiError && err.code === 'KEY_MISMATCH') throw bad("the CA key does not match the chain's first certificate", err);
    throw bad((err as Error).message, err);
  }
  if (first.keyUsage !== undefined && (first.keyUsage & KEY_USAGE.keyCertSign) === 0) {
    throw bad('the issuing CA certificate lacks keyUsage keyCertSign');
  }
  const eku = first.extKeyUsage;
  if (eku !== undefined ? !eku.includes(EKU_OIDS.codeSigning) : chain.length > 1) {
    throw bad('the issuing CA certificate must allow extKeyUsage codeSigning');
  }
  const x509 = chain.map((c) => new X509Certificate(c.der));
  for (let i = 0; i < x509.length; i++) {
    const cert = x509[i]!;
    const parent = x509[i + 1] ?? cert;
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
      throw bad(`certificate ${i} (${cert.subject.replace(/\n/g, ', ')}) is not valid now (${cert.validFrom} – ${cert.validTo})`);
    }
    if (!chain[i]!.isCa) throw bad(`certificate ${i} (${cert.subject.replace(/\n/g, ', ')}) is not a CA`);
    if (!cert.checkIssued(parent) || !cert.verify(parent.publicKey)) {
      throw bad(i + 1 === x509.length ? 'the last certificate is not a self-signed root' : `certificate ${i} is not signed by certificate ${i + 1}`);
    }
  }
  return issuer;
}
