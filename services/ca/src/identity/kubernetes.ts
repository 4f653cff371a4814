// Kubernetes service-account issuers (Fulcio pkg/identity/kubernetes): SAN URI =
// https://kubernetes.io/namespaces/{ns}/serviceaccounts/{sa} from the `kubernetes.io` claim; the proof of
// possession signs `sub` (system:serviceaccount:{ns}:{sa}).
import { CaError } from '../errors.js';
import { stringClaim } from './claims.js';
import { renderExtensions } from './extensions.js';
import type { Issuer, Principal, VerifiedClaims } from './issuer.js';

function nested(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

/**
 * A kubernetes issuer. Authenticate throws CaError MISSING_CLAIM when `kubernetes.io.namespace` or
 * `kubernetes.io.serviceaccount.name` is absent (Fulcio would certify an empty path segment).
 */
export function createKubernetesIssuer(issuerUrl: string): Issuer {
  return {
    issuerUrl,
    authenticate(claims: VerifiedClaims): Principal {
      const sub = stringClaim(claims, 'sub', 'the proof of possession signs it');
      const k8s = claims['kubernetes.io'];
      const ns = nested(k8s, 'namespace');
      const sa = nested(nested(k8s, 'serviceaccount'), 'name');
      for (const [name, v] of [['kubernetes.io.namespace', ns], ['kubernetes.io.serviceaccount.name', sa]] as const) {
        if (typeof v !== 'string' || v === '') throw new CaError('MISSING_CLAIM', `token has no ${name} claim (kubernetes issuers certify the service account)`);
        if (!/^[A-Za-z0-9._-]+$/.test(v)) throw new CaError('INVALID_TOKEN', `${name} ${JSON.stringify(v)} is not a Kubernetes name`);
      }
      const uri = `https://kubernetes.io/namespaces/${ns as string}/serviceaccounts/${sa as string}`;
      return { challenge: sub, subjectAltName: { type: 'uri', value: uri }, sigstoreExtensions: renderExtensions(claims.iss, sub) };
    },
  };
}
