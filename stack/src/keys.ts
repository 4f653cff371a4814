import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createIntermediateCa,
  createRootCa,
  generatePrivateKeyPem,
  issuerInfoFromCertificate,
  openSigner,
  pemDecodeAll,
  pemEncode,
  randomSerial,
  type SignatureAlgorithm,
  type Signer,
} from '@signet/pki';

/**
 * The development stack's keys, made on first start and kept in `<dataDir>/keys/` (PKCS#8 PEM files,
 * mode 0600), so that a restart keeps the same logs, CA and trusted root. Production deployments
 * point each service at its own key instead (file or PKCS#11; see docs/operating.md).
 */
export interface StackKeys {
  dir: string;
  /** The Rekor-compatible log's checkpoint/SET key (ECDSA P-256). */
  tlogKeyPath: string;
  /** The CT log's SCT/STH key (ECDSA P-256). */
  ctKeyPath: string;
  /** The CA's issuing (intermediate) key (ECDSA P-384) and chain: intermediate, then root. */
  caKeyPath: string;
  caChainPath: string;
  /** TUF root key (offline in production) and online key (timestamp, snapshot, targets). */
  tufRootKeyPath: string;
  tufOnlineKeyPath: string;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

async function ensureKey(path: string, algorithm: SignatureAlgorithm): Promise<void> {
  if (!(await exists(path))) await writeFile(path, generatePrivateKeyPem(algorithm), { mode: 0o600, flag: 'wx' });
}

const fileSigner = (path: string): Promise<Signer> => openSigner({ kind: 'file', path });

/** Creates the CA root (kept only as a certificate: its key is discarded) and intermediate. */
async function ensureCa(keys: StackKeys, now: Date): Promise<void> {
  if (await exists(keys.caChainPath)) return;
  const rootSigner = await openSigner({ kind: 'ephemeral', algorithm: 'ecdsa-p384-sha384' });
  const notBefore = new Date(now.getTime() - 60_000);
  const root = await createRootCa({
    signer: rootSigner,
    subject: { commonName: 'Signet development root', organization: 'Signet' },
    notBefore,
    validitySeconds: 10 * 365 * 86_400,
    serial: randomSerial((n) => randomBytes(n)),
  });
  const intermediate = await createIntermediateCa({
    signer: await fileSigner(keys.caKeyPath),
    issuer: issuerInfoFromCertificate(root, rootSigner),
    subject: { commonName: 'Signet development intermediate', organization: 'Signet' },
    notBefore,
    validitySeconds: 5 * 365 * 86_400,
    serial: randomSerial((n) => randomBytes(n)),
  });
  await rootSigner.close();
  await writeFile(keys.caChainPath, pemEncode('CERTIFICATE', intermediate) + pemEncode('CERTIFICATE', root), { flag: 'wx' });
}

/** Makes whatever key is missing under `<dataDir>/keys` and returns the paths. Idempotent. */
export async function ensureStackKeys(dataDir: string, now: Date): Promise<StackKeys> {
  const dir = join(dataDir, 'keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys: StackKeys = {
    dir,
    tlogKeyPath: join(dir, 'tlog.pem'),
    ctKeyPath: join(dir, 'ctlog.pem'),
    caKeyPath: join(dir, 'ca-intermediate.pem'),
    caChainPath: join(dir, 'ca-chain.pem'),
    tufRootKeyPath: join(dir, 'tuf-root.pem'),
    tufOnlineKeyPath: join(dir, 'tuf-online.pem'),
  };
  await ensureKey(keys.tlogKeyPath, 'ecdsa-p256-sha256');
  await ensureKey(keys.ctKeyPath, 'ecdsa-p256-sha256');
  await ensureKey(keys.caKeyPath, 'ecdsa-p384-sha384');
  await ensureKey(keys.tufRootKeyPath, 'ecdsa-p256-sha256');
  await ensureKey(keys.tufOnlineKeyPath, 'ecdsa-p256-sha256');
  await ensureCa(keys, now);
  return keys;
}

/** Opens a stack key file as a Signer. */
export function openStackSigner(path: string): Promise<Signer> {
  return fileSigner(path);
}

/** The CA chain's certificates, DER, intermediate first. */
export async function readChainDer(path: string): Promise<Uint8Array[]> {
  return pemDecodeAll(await readFile(path, 'utf8'))
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => block.der);
}
