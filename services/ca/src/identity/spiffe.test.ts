import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IssuerSettings } from './config.js';
import type { VerifiedClaims } from './issuer.js';
import { createSpiffeIssuer, spiffeTrustDomainOf } from './spiffe.js';
import { assertThrowsCa } from './testonly/assert-code.js';

const settings: IssuerSettings = { clientId: 'sigstore', type: 'spiffe', challengeClaim: 'sub', skipEmailVerification: false, spiffeTrustDomain: 'example.net' };
const claims: VerifiedClaims = { iss: 'https://spire.example.net', sub: 'spiffe://example.net/ns/prod/sa/builder', aud: ['sigstore'], exp: 1795000600 };

test('a SPIFFE JWT-SVID certifies the SPIFFE ID as a URI SAN; the PoP signs it', () => {
  const p = createSpiffeIssuer(claims.iss, settings).authenticate(claims);
  assert.deepEqual(p, {
    challenge: 'spiffe://example.net/ns/prod/sa/builder',
    subjectAltName: { type: 'uri', value: 'spiffe://example.net/ns/prod/sa/builder' },
    sigstoreExtensions: [
      { oid: '1.3.6.1.4.1.57264.1.1', value: 'https://spire.example.net' },
      { oid: '1.3.6.1.4.1.57264.1.8', value: 'https://spire.example.net' },
      { oid: '1.3.6.1.4.1.57264.1.24', value: 'spiffe://example.net/ns/prod/sa/builder' },
    ],
  });
});

test('a foreign trust domain or a malformed SPIFFE ID is INVALID_TOKEN', () => {
  const issuer = createSpiffeIssuer(claims.iss, settings);
  for (const sub of ['spiffe://other.net/x', 'spiffe://Example.net/x', 'spiffe://example.net/a/../b', 'spiffe://example.net/a//b', 'spiffe://example.net/x?y', 'spiffe://example.net:443/x', 'https://example.net/x', 'spiffe://example.net/']) {
    assertThrowsCa(() => issuer.authenticate({ ...claims, sub }), 'INVALID_TOKEN');
  }
  assert.equal(spiffeTrustDomainOf('spiffe://example.net'), 'example.net');
});
