// Test harness of the CA's HTTP tests: two development OIDC issuers (an email one and a kubernetes
// one, whose challenge is `sub`), an ephemeral CA, the issuer pool and buildApp with captured logs.
// Tests only.
import { type KeyObject, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { pemEncode } from '@signet/pki';
import { type TestOidc, startTestOidc } from '@signet/oidc-dev/testonly';
import { buildApp } from '../../app.js';
import { type Authority, authorityFromEphemeral, createEphemeralCa } from '../../authority.js';
import { createCa } from '../../ca.js';
import type { CtClient } from '../../ct/ct-client.js';
import { parseIssuerConfig } from '../../identity/config.js';
import { createIssuerPool } from '../../identity/issuer-pool.js';
import { createMetrics } from '../metrics.js';

/** A CA application wired to real development issuers. */
export interface Harness {
  app: FastifyInstance;
  /** Issuer of type email (challenge = email). */
  emailIdp: TestOidc;
  /** Issuer of type kubernetes (challenge = sub). */
  k8sIdp: TestOidc;
  authority: Authority;
  /** Every JSON log line the app wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** Options of startHarness. */
export interface HarnessOptions {
  ct?: CtClient;
  validitySeconds?: number;
  now?: () => Date;
  /** Called with every TBSCertificate the CA signs (to see what was issued). */
  onSign?: (tbs: Uint8Array) => void;
}

/** Starts the issuers and builds the app (not listening). */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const now = opts.now ?? (() => new Date());
  const emailIdp = await startTestOidc();
  const k8sIdp = await startTestOidc({ alg: 'RS256' });
  const issuerConfig = {
    'oidc-issuers': {
      [emailIdp.url]: { 'issuer-url': emailIdp.url, 'client-id': 'sigstore', type: 'email' },
      [k8sIdp.url]: { 'issuer-url': k8sIdp.url, 'client-id': 'sigstore', type: 'kubernetes' },
    },
  };
  const issuers = createIssuerPool(parseIssuerConfig(JSON.stringify(issuerConfig)), { now, allowHttpIssuers: true });
  const authority = authorityFromEphemeral(await createEphemeralCa(now()));
  const signer = authority.issuer.signer;
  const spied = {
    algorithm: signer.algorithm,
    publicKeyDer: signer.publicKeyDer,
    sign: (tbs: Uint8Array) => (opts.onSign?.(tbs), signer.sign(tbs)),
    close: () => signer.close(),
  };
  const ca = createCa({
    issuer: { ...authority.issuer, signer: spied },
    chainDer: authority.chainDer,
    validitySeconds: opts.validitySeconds ?? 600,
    now,
    ...(opts.ct !== undefined ? { ct: opts.ct } : {}),
  });
  const logs: string[] = [];
  const app = await buildApp({
    ca,
    issuers,
    chainPem: authority.chainDer.map((d) => pemEncode('CERTIFICATE', d)),
    logger: { level: 'debug', stream: { write: (line: string) => void logs.push(line) } },
    metrics: createMetrics(),
  });
  return {
    app,
    emailIdp,
    k8sIdp,
    authority,
    logs,
    async close() {
      await app.close();
      await authority.close();
      await emailIdp.close();
      await k8sIdp.close();
    },
  };
}

/** Key types the CA accepts, with a generator for each. */
export const KEY_TYPES: Record<string, () => KeyObject> = {
  'ECDSA P-256': () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  'ECDSA P-384': () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
  'ECDSA P-521': () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
  'RSA 2048': () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  'RSA 3072': () => generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey,
  'RSA 4096': () => generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey,
  Ed25519: () => generateKeyPairSync('ed25519').privateKey,
};

/** The default proof-of-possession signature of `message` with `key` (Fulcio's per-key scheme). */
export function popSign(key: KeyObject, message: string): string {
  const data = Buffer.from(message, 'utf8');
  let sig: Buffer;
  if (key.asymmetricKeyType === 'ed25519') sig = sign(null, data, key);
  else if (key.asymmetricKeyType === 'rsa') sig = sign('sha256', data, key);
  else {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const hash = curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
    sig = sign(hash, data, key);
  }
  return sig.toString('base64');
}

/** The `PUBLIC KEY` PEM of a private key. */
export function publicPem(key: KeyObject): string {
  return createPublicKey(key).export({ format: 'pem', type: 'spki' }) as string;
}

/** A v2 publicKeyRequest body for `token`, proving `key` over `challenge`. */
export function v2KeyBody(token: string, key: KeyObject, challenge: string): object {
  return {
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: publicPem(key) }, proofOfPossession: popSign(key, challenge) },
  };
}

/** A PEM CSR for `key` made by the openssl CLI (digest: sha256 unless given; none for Ed25519). */
export function opensslCsr(key: KeyObject, digest = 'sha256'): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-ca-csr-'));
  try {
    writeFileSync(join(dir, 'key.pem'), key.export({ format: 'pem', type: 'pkcs8' }) as string);
    const args = ['req', '-new', '-key', join(dir, 'key.pem'), '-subj', '/CN=ignored', '-out', join(dir, 'csr.pem')];
    if (key.asymmetricKeyType !== 'ed25519') args.push(`-${digest}`);
    execFileSync('openssl', args, { stdio: 'pipe' });
    return readFileSync(join(dir, 'csr.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `openssl verify -CAfile root -untrusted intermediates leaf`; returns openssl's output (throws on failure). */
export function opensslVerify(chainPem: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-ca-verify-'));
  try {
    const [leaf, ...cas] = chainPem;
    const root = cas[cas.length - 1]!;
    writeFileSync(join(dir, 'leaf.pem'), `${leaf}\n`);
    writeFileSync(join(dir, 'root.pem'), `${root}\n`);
    writeFileSync(join(dir, 'intermediates.pem'), cas.slice(0, -1).map((p) => `${p}\n`).join(''));
    const untrusted = cas.length > 1 ? ['-untrusted', join(dir, 'intermediates.pem')] : [];
    return execFileSync('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), ...untrusted, join(dir, 'leaf.pem')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
