// Test fixtures for the Rekor personality: signing keys, self-made certificate chains and proposed
// entries of every kind, built with node:crypto and @signet/pki (no canned bytes).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  createRootCa,
  EphemeralSigner,
  issueCertificate,
  issuerInfoFromCertificate,
  leafTemplate,
  pemEncode,
  type SignatureAlgorithm,
} from '@signet/pki';
import { ed25519ReferenceSign, ed25519SeedOf } from '@signet/pki/testonly';

/** A client key pair with its SPKI PEM. */
export interface ClientKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  spki: Uint8Array;
}

/** A fresh client key: ECDSA P-256 by default. */
export function clientKey(type: 'p256' | 'p384' | 'ed25519' | 'rsa2048' = 'p256'): ClientKey {
  const { privateKey, publicKey } =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : type === 'rsa2048'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: type === 'p256' ? 'P-256' : 'P-384' });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  return { privateKey, publicKeyPem: pemEncode('PUBLIC KEY', spki), spki };
}

/** A self-made CA and a leaf certificate for `key` with an email SAN. */
export async function certificateChain(
  key: ClientKey,
  opts: { email?: string; notBefore?: Date; caAlgorithm?: SignatureAlgorithm } = {},
): Promise<{ leafDer: Uint8Array; rootDer: Uint8Array; leafPem: string; chainPem: string }> {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000);
  const caSigner = EphemeralSigner.generate(opts.caAlgorithm ?? 'ecdsa-p256-sha256');
  const rootDer = await createRootCa({
    signer: caSigner,
    subject: { organization: 'signet-test', commonName: 'test root' },
    notBefore: new Date(notBefore.getTime() - 3_600_000),
    validitySeconds: 86_400 * 30,
    serial: 1n,
  });
  const issuer = issuerInfoFromCertificate(rootDer, caSigner);
  const template = leafTemplate(
    {
      subjectAltName: { type: 'email', value: opts.email ?? 'Alice@Example.com' },
      sigstoreExtensions: [],
      publicKeySpki: key.spki,
      notBefore,
      serial: 2n,
    },
    issuer,
  );
  const leafDer = await issueCertificate(template, issuer);
  const leafPem = pemEncode('CERTIFICATE', leafDer);
  return { leafDer, rootDer, leafPem, chainPem: leafPem + pemEncode('CERTIFICATE', rootDer) };
}

const HASH_OF = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' } as const;

/**
 * Signs `artifact` with `key` as a hashedrekord client does: hash-then-sign; Ed25519 with sha512 is
 * Ed25519ph over the SHA-512 digest; Ed25519 with another hash (which Rekor refuses) signs the message.
 */
export function signArtifact(key: ClientKey, artifact: Uint8Array, hash: keyof typeof HASH_OF = 'sha256'): Uint8Array {
  if (key.privateKey.asymmetricKeyType !== 'ed25519') return new Uint8Array(sign(HASH_OF[hash], artifact, key.privateKey));
  if (hash !== 'sha512') return new Uint8Array(sign(null, artifact, key.privateKey));
  return ed25519ReferenceSign(ed25519SeedOf(key.privateKey), createHash('sha512').update(artifact).digest(), 'ph');
}

/** A hashedrekord 0.0.1 ProposedEntry for `artifact` signed by `key`, verified by `verifierPem`. */
export function hashedrekord(
  key: ClientKey,
  artifact: Uint8Array,
  opts: { verifierPem?: string; hash?: 'sha256' | 'sha384' | 'sha512' } = {},
): { proposed: { kind: string; apiVersion: string; spec: any }; digestHex: string; signature: Uint8Array } {
  const hash = opts.hash ?? 'sha256';
  const digestHex = createHash(hash).update(artifact).digest('hex');
  const signature = signArtifact(key, artifact, hash);
  return {
    digestHex,
    signature,
    proposed: {
      kind: 'hashedrekord',
      apiVersion: '0.0.1',
      spec: {
        data: { hash: { algorithm: hash, value: digestHex } },
        signature: {
          content: Buffer.from(signature).toString('base64'),
          publicKey: { content: Buffer.from(opts.verifierPem ?? key.publicKeyPem).toString('base64') },
        },
      },
    },
  };
}

/** DSSE PAE. */
export function pae(type: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);
}

/** An in-toto statement with one subject. */
export function inTotoStatement(subjectSha256: string): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'artifact.bin', digest: { sha256: subjectSha256 } }],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      predicate: { materials: [{ uri: 'git+https://example.com/repo', digest: { sha1: 'a'.repeat(40) } }] },
    }),
  );
}

/** A DSSE envelope JSON string signed by `keys`, as sigstore-js serialises it. */
export function dsseEnvelope(keys: ClientKey[], payload: Uint8Array, payloadType = 'application/vnd.in-toto+json'): string {
  const signatures = keys.map((k) => ({
    sig: Buffer.from(sign(k.privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', pae(payloadType, payload), k.privateKey)).toString('base64'),
  }));
  return JSON.stringify({ payload: Buffer.from(payload).toString('base64'), payloadType, signatures });
}

/** A dsse 0.0.1 ProposedEntry. */
export function dsse(envelope: string, verifierPems: string[]): { kind: string; apiVersion: string; spec: any } {
  return {
    kind: 'dsse',
    apiVersion: '0.0.1',
    spec: { proposedContent: { envelope, verifiers: verifierPems.map((p) => Buffer.from(p).toString('base64')) } },
  };
}

/** An intoto 0.0.2 ProposedEntry (double base64 payload and signatures). */
export function intoto(keys: ClientKey[], payload: Uint8Array, payloadType = 'application/vnd.in-toto+json'): { kind: string; apiVersion: string; spec: any } {
  const env = JSON.parse(dsseEnvelope(keys, payload, payloadType)) as { payload: string; signatures: { sig: string }[] };
  return {
    kind: 'intoto',
    apiVersion: '0.0.2',
    spec: {
      content: {
        envelope: {
          payloadType,
          payload: Buffer.from(env.payload).toString('base64'),
          signatures: env.signatures.map((s, i) => ({
            sig: Buffer.from(s.sig).toString('base64'),
            publicKey: Buffer.from(keys[i]!.publicKeyPem).toString('base64'),
          })),
        },
        hash: { algorithm: 'sha256', value: createHash('sha256').update(JSON.stringify(env)).digest('hex') },
      },
    },
  };
}
