import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IssuerSettings } from './config.js';
import type { VerifiedClaims } from './issuer.js';
import { assertThrowsCa } from './testonly/assert-code.js';
import { createUriIssuer } from './uri.js';

const settings: IssuerSettings = { clientId: 'sigstore', type: 'uri', challengeClaim: 'sub', skipEmailVerification: false, subjectDomain: 'https://example.com' };
const claims: VerifiedClaims = { iss: 'https://accounts.example.com', sub: 'https://example.com/users/alice', aud: 'sigstore', exp: 1795000600 };

test('a uri token certifies sub as a URI SAN; the PoP signs sub', () => {
  const p = createUriIssuer(claims.iss, settings).authenticate(claims);
  assert.deepEqual(p, {
    challenge: 'https://example.com/users/alice',
    subjectAltName: { type: 'uri', value: 'https://example.com/users/alice' },
    sigstoreExtensions: [
      { oid: '1.3.6.1.4.1.57264.1.1', value: 'https://accounts.example.com' },
      { oid: '1.3.6.1.4.1.57264.1.8', value: 'https://accounts.example.com' },
      { oid: '1.3.6.1.4.1.57264.1.24', value: 'https://example.com/users/alice' },
    ],
  });
});

test('sub outside the SubjectDomain, an email or no URI is INVALID_TOKEN', () => {
  const issuer = createUriIssuer(claims.iss, settings);
  for (const sub of ['http://example.com/users/alice', 'https://evil.com/users/alice', 'https://example.com.evil.com/x', 'alice@example.com', 'not a uri']) {
    assertThrowsCa(() => issuer.authenticate({ ...claims, sub }), 'INVALID_TOKEN');
  }
});
