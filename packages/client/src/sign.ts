import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { BUNDLE_V03_MEDIA_TYPE, bundleToJSON, type Bundle, type SerializedBundle } from '@sigstore/bundle';
import {
  DSSEBundleBuilder,
  FulcioSigner,
  MessageSignatureBundleBuilder,
  RekorWitness,
  type BundleBuilder,
  type Signer,
} from '@sigstore/sign';
import { baseUrl } from './config.js';
import { ClientError } from './errors.js';

/**
 * Signing: keyless (ephemeral key → CA certificate → log) or with a long-lived key (→ log), for a
 * blob (message signature, logged as hashedrekord) or an in-toto statement (DSSE, logged as dsse).
 * Built on @sigstore/sign, so the requests are exactly what sigstore-js sends.
 */
export type SigningIdentity =
  | { kind: 'keyless'; caUrl: string; getToken: () => Promise<string> }
  | { kind: 'key'; privateKeyPem: string; password?: string };

export interface SignOptions {
  identity: SigningIdentity;
  tlogUrl: string;
  /** Per-request timeout in ms (default 30 s) and retries on 5xx/network errors (default 2). */
  timeout?: number;
  retries?: number;
}

/** The DSSE payload type of in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A @sigstore/sign Signer over a local private key: the public key travels in the log entry. */
class KeySigner implements Signer {
  private readonly key: KeyObject;
  private readonly publicKeyPem: string;
  constructor(pem: string, password: string | undefined) {
    try {
      this.key = createPrivateKey(password === undefined ? pem : { key: pem, passphrase: password });
    } catch (cause) {
      throw new ClientError('BAD_KEY', 'cannot read the private key (wrong password, or not a PKCS#8/SEC1 PEM key)', { cause });
    }
    if (this.key.asymmetricKeyType !== 'ec' && this.key.asymmetricKeyType !== 'rsa') {
      throw new ClientError('BAD_KEY', `key type ${this.key.asymmetricKeyType} is not supported for signing (ECDSA or RSA)`);
    }
    this.publicKeyPem = createPublicKey(this.key).export({ format: 'pem', type: 'spki' }).toString();
  }
  async sign(data: Buffer) {
    return {
      signature: nodeSign('sha256', data, this.key),
      key: { $case: 'publicKey' as const, publicKey: this.publicKeyPem, hint: keyHint(this.publicKeyPem) },
    };
  }
}

/** The key hint written into key-based bundles: base64 SHA-256 of the DER SubjectPublicKeyInfo. */
export function keyHint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('base64');
}

function builder(opts: SignOptions, type: 'message' | 'dsse'): BundleBuilder {
  const fetchOpts = { timeout: opts.timeout ?? 30_000, retry: opts.retries ?? 2 };
  const signer: Signer =
    opts.identity.kind === 'keyless'
      ? new FulcioSigner({
          fulcioBaseURL: baseUrl(opts.identity.caUrl),
          identityProvider: { getToken: opts.identity.getToken },
          ...fetchOpts,
        })
      : new KeySigner(opts.identity.privateKeyPem, opts.identity.password);
  const witnesses = [new RekorWitness({ rekorBaseURL: baseUrl(opts.tlogUrl), entryType: 'dsse', ...fetchOpts })];
  return type === 'message'
    ? new MessageSignatureBundleBuilder({ signer, witnesses })
    : new DSSEBundleBuilder({ signer, witnesses });
}

/**
 * Serializes a bundle as v0.3: a single `certificate` (the leaf) instead of v0.2's one-element
 * chain. Both carry the same signed material; v0.3 is what current verifiers prefer.
 */
export function toV03(bundle: Bundle): SerializedBundle {
  const json = bundleToJSON(bundle) as SerializedBundle & { verificationMaterial: Record<string, unknown> };
  const vm = json.verificationMaterial as Record<string, unknown> & {
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
  };
  if (vm.x509CertificateChain) {
    const [leaf] = vm.x509CertificateChain.certificates;
    delete vm.x509CertificateChain;
    vm.certificate = leaf;
  }
  return { ...json, mediaType: BUNDLE_V03_MEDIA_TYPE };
}

async function create(b: BundleBuilder, artifact: { data: Buffer; type?: string }): Promise<SerializedBundle> {
  try {
    return toV03(await b.create(artifact));
  } catch (cause) {
    if (cause instanceof ClientError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ClientError('SERVICE_ERROR', `signing failed: ${message}`, { cause });
  }
}

/** Signs a blob; returns a Sigstore bundle v0.3 (message signature, hashedrekord entry). */
export function signBlob(data: Buffer, opts: SignOptions): Promise<SerializedBundle> {
  return create(builder(opts, 'message'), { data });
}

/** Signs a DSSE payload (an in-toto statement by default); returns a bundle v0.3 (dsse entry). */
export function signDsse(payload: Buffer, opts: SignOptions, payloadType = IN_TOTO_PAYLOAD_TYPE): Promise<SerializedBundle> {
  return create(builder(opts, 'dsse'), { data: payload, type: payloadType });
}
