// The CA orchestrator: verified identity + proven key → profile → (precertificate → CT →) signature.
import { type IssuerInfo, PkiError, encodeSctList, issueCertificate, leafTemplate, randomSerial } from '@signet/pki';
import type { CtClient } from './ct/ct-client.js';
import { CaError } from './errors.js';
import type { Principal } from './identity/issuer.js';
import { verifyCsr, verifyProofOfPossession } from './proof.js';

/** A certificate request whose identity is already authenticated: a key with its proof, or a CSR. */
export type IssueRequest =
  | { principal: Principal; publicKey: string | Uint8Array; proof: Uint8Array }
  | { principal: Principal; csr: string | Uint8Array };

/** An issued certificate. */
export interface IssuedCertificate {
  /** The leaf DER first, then the CA chain (issuing CA … root). */
  chainDer: Uint8Array[];
  /** True when the leaf embeds an SCT; false in detached mode (no CT log: Fulcio's empty SCT). */
  embeddedSct: boolean;
}

/** Issues short-lived code-signing certificates. */
export interface CertificateAuthority {
  /**
   * Verifies the proof (or the CSR), builds the Fulcio leaf profile and signs it; with a CT log,
   * signs a precertificate first and embeds its SCT. Throws CaError: BAD_PUBLIC_KEY, WEAK_KEY,
   * UNSUPPORTED_KEY, BAD_PROOF_OF_POSSESSION, BAD_CSR, ALGORITHM_NOT_PERMITTED, CT_UNAVAILABLE
   * (nothing issued), CA_BACKEND_ERROR.
   */
  issue(request: IssueRequest): Promise<IssuedCertificate>;
}

/** What the CA is made of. */
export interface CaDeps {
  /** The issuing CA: its subject, SKI and signer. */
  issuer: IssuerInfo;
  /** The CA chain DER, issuing CA first, root last. */
  chainDer: readonly Uint8Array[];
  /** The CT log; undefined → detached mode. */
  ct?: CtClient;
  /** Leaf lifetime in seconds. */
  validitySeconds: number;
  now: () => Date;
  /** Random bytes for serials (default node:crypto). */
  random?: (n: number) => Uint8Array;
}

/** Creates the CA. */
export function createCa(deps: CaDeps): CertificateAuthority {
  const chain = [...deps.chainDer];
  const sign = (template: Parameters<typeof issueCertificate>[0], opts?: Parameters<typeof issueCertificate>[2]) =>
    backend('signing the certificate', () => issueCertificate(template, deps.issuer, opts));
  return {
    async issue(request) {
      const spki =
        'csr' in request
          ? verifyCsr(request.csr)
          : verifyProofOfPossession(request.publicKey, request.proof, request.principal.challenge);
      const { subjectAltName, sigstoreExtensions } = request.principal;
      const serial = deps.random ? randomSerial(deps.random) : randomSerial();
      const profile = { subjectAltName, sigstoreExtensions, publicKeySpki: spki, notBefore: deps.now(), validitySeconds: deps.validitySeconds, serial };
      const template = await backend('building the certificate profile', async () => leafTemplate(profile, deps.issuer));
      if (deps.ct === undefined) return { chainDer: [await sign(template), ...chain], embeddedSct: false };
      const precert = await sign(template, { precertificate: true });
      const sct = await deps.ct.submitPrecertificate([precert, ...chain]);
      const leaf = await sign(template, { sctList: sctListExtension(sct) });
      return { chainDer: [leaf, ...chain], embeddedSct: true };
    },
  };
}

function sctListExtension(sct: Uint8Array): Uint8Array {
  try {
    return encodeSctList([sct]);
  } catch (err) {
    throw new CaError('CT_UNAVAILABLE', `the CT log's SCT cannot be embedded: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs a CA-side step; a PkiError there is the CA's fault (bad template input, failing HSM). */
async function backend<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PkiError && err.code === 'BAD_TEMPLATE') {
      throw new CaError('BAD_REQUEST', `cannot certify this identity: ${err.message}`, { cause: err });
    }
    if (err instanceof PkiError) throw new CaError('CA_BACKEND_ERROR', `CA backend failed while ${step}: ${err.message}`, { cause: err });
    throw err;
  }
}
