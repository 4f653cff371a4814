import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VerifiedClaims } from './issuer.js';
import { createKubernetesIssuer } from './kubernetes.js';
import { assertThrowsCa } from './testonly/assert-code.js';

// A projected service-account token of an EKS cluster (the meta issuer https://oidc.eks.*.amazonaws.com/id/*).
const claims: VerifiedClaims = {
  aud: ['sigstore'],
  exp: 1795003600,
  iat: 1795000000,
  iss: 'https://oidc.eks.us-west-2.amazonaws.com/id/B02C93B6A2D30341AD01E1B6D48164CB',
  'kubernetes.io': {
    namespace: 'build',
    pod: { name: 'builder-7d9c8', uid: '5f1d3a6e-0e8b-4c6a-9a0f-2b7c1d9e8f00' },
    serviceaccount: { name: 'signer', uid: '0c6d7e8f-1a2b-4c3d-8e9f-a0b1c2d3e4f5' },
  },
  nbf: 1795000000,
  sub: 'system:serviceaccount:build:signer',
};

test('a service-account token certifies the namespace/serviceaccount URI; the PoP signs sub', () => {
  const p = createKubernetesIssuer(claims.iss).authenticate(claims);
  assert.deepEqual(p, {
    challenge: 'system:serviceaccount:build:signer',
    subjectAltName: { type: 'uri', value: 'https://kubernetes.io/namespaces/build/serviceaccounts/signer' },
    sigstoreExtensions: [
      { oid: '1.3.6.1.4.1.57264.1.1', value: claims.iss },
      { oid: '1.3.6.1.4.1.57264.1.8', value: claims.iss },
      { oid: '1.3.6.1.4.1.57264.1.24', value: 'system:serviceaccount:build:signer' },
    ],
  });
});

test('missing kubernetes.io claims are MISSING_CLAIM; a name that would break the URI is INVALID_TOKEN', () => {
  const issuer = createKubernetesIssuer(claims.iss);
  assertThrowsCa(() => issuer.authenticate({ ...claims, 'kubernetes.io': undefined }), 'MISSING_CLAIM');
  assertThrowsCa(() => issuer.authenticate({ ...claims, 'kubernetes.io': { namespace: 'build' } }), 'MISSING_CLAIM');
  assertThrowsCa(() => issuer.authenticate({ ...claims, 'kubernetes.io': { namespace: 'a/b', serviceaccount: { name: 's' } } }), 'INVALID_TOKEN');
});
