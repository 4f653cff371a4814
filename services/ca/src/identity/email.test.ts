import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IssuerSettings } from './config.js';
import { createEmailIssuer } from './email.js';
import type { VerifiedClaims } from './issuer.js';
import { assertThrowsCa } from './testonly/assert-code.js';

const settings: IssuerSettings = { clientId: 'sigstore', type: 'email', challengeClaim: 'email', skipEmailVerification: false };
const google: VerifiedClaims = {
  iss: 'https://accounts.google.com',
  azp: '32555940559.apps.googleusercontent.com',
  aud: 'sigstore',
  sub: '110169484474386276334',
  email: 'alice@example.com',
  email_verified: true,
  at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
  iat: 1795000000,
  exp: 1795003600,
};

test('an email token certifies the address; the PoP signs the email; issuer and subject extensions', () => {
  const p = createEmailIssuer(google.iss, settings).authenticate(google);
  assert.deepEqual(p, {
    challenge: 'alice@example.com',
    subjectAltName: { type: 'email', value: 'alice@example.com' },
    sigstoreExtensions: [
      { oid: '1.3.6.1.4.1.57264.1.1', value: 'https://accounts.google.com' },
      { oid: '1.3.6.1.4.1.57264.1.8', value: 'https://accounts.google.com' },
      { oid: '1.3.6.1.4.1.57264.1.24', value: '110169484474386276334' },
    ],
  });
});

test('email_verified may be the string "true" (Fulcio accepts it)', () => {
  assert.equal(createEmailIssuer(google.iss, settings).authenticate({ ...google, email_verified: 'True' }).challenge, 'alice@example.com');
});

test('email_verified false or missing is EMAIL_NOT_VERIFIED unless SkipEmailVerification', () => {
  const issuer = createEmailIssuer(google.iss, settings);
  assertThrowsCa(() => issuer.authenticate({ ...google, email_verified: false }), 'EMAIL_NOT_VERIFIED');
  const { email_verified: _, ...unverified } = google;
  assertThrowsCa(() => issuer.authenticate(unverified as VerifiedClaims), 'EMAIL_NOT_VERIFIED');
  const skip = createEmailIssuer(google.iss, { ...settings, skipEmailVerification: true });
  assert.equal(skip.authenticate(unverified as VerifiedClaims).subjectAltName.value, 'alice@example.com');
});

test('no email claim is MISSING_CLAIM; a malformed address is INVALID_TOKEN', () => {
  const issuer = createEmailIssuer(google.iss, settings);
  const { email: _, ...noEmail } = google;
  assertThrowsCa(() => issuer.authenticate(noEmail as VerifiedClaims), 'MISSING_CLAIM');
  for (const bad of ['alice', 'alice@', '@example.com', 'a b@example.com', 'alice@exa mple.com', 'alice@localhost']) {
    assertThrowsCa(() => issuer.authenticate({ ...google, email: bad }), 'INVALID_TOKEN');
  }
});

test('IssuerClaim takes the issuer extension from a claim (Dex federated connector)', () => {
  const dex = createEmailIssuer('https://oauth2.sigstore.dev/auth', {
    ...settings,
    issuerClaim: { source: '$.federated_claims.connector_id', path: ['federated_claims', 'connector_id'] },
  });
  const claims: VerifiedClaims = {
    ...google,
    iss: 'https://oauth2.sigstore.dev/auth',
    sub: 'CgY2NjQ3ODcSJmh0dHBzOi8vZ2l0aHViLmNvbS9sb2dpbi9vYXV0aA',
    federated_claims: { connector_id: 'https://github.com/login/oauth', user_id: '664787' },
  };
  const p = dex.authenticate(claims);
  assert.deepEqual(p.sigstoreExtensions.slice(0, 2).map((e) => e.value), ['https://github.com/login/oauth', 'https://github.com/login/oauth']);
  assertThrowsCa(() => dex.authenticate({ ...claims, federated_claims: {} }), 'MISSING_CLAIM');
});
