import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IssuerSettings } from './config.js';
import type { VerifiedClaims } from './issuer.js';
import { assertThrowsCa } from './testonly/assert-code.js';
import { createUsernameIssuer } from './username.js';

const settings: IssuerSettings = { clientId: 'sigstore', type: 'username', challengeClaim: 'sub', skipEmailVerification: false, subjectDomain: 'example.org' };
const claims: VerifiedClaims = { iss: 'https://auth.example.org', sub: 'alice', aud: 'sigstore', exp: 1795000600 };

test('a username token certifies sub!SubjectDomain as an OtherName SAN; the PoP signs the bare sub', () => {
  const p = createUsernameIssuer(claims.iss, settings).authenticate(claims);
  assert.deepEqual(p, {
    challenge: 'alice',
    subjectAltName: { type: 'otherName', value: 'alice!example.org' },
    sigstoreExtensions: [
      { oid: '1.3.6.1.4.1.57264.1.1', value: 'https://auth.example.org' },
      { oid: '1.3.6.1.4.1.57264.1.8', value: 'https://auth.example.org' },
      { oid: '1.3.6.1.4.1.57264.1.24', value: 'alice' },
    ],
  });
});

test('a username with ! or an email address is INVALID_TOKEN', () => {
  const issuer = createUsernameIssuer(claims.iss, settings);
  for (const sub of ['alice!evil.org', 'alice@example.org']) assertThrowsCa(() => issuer.authenticate({ ...claims, sub }), 'INVALID_TOKEN');
});
