// Edge helpers shared by the signingCert routes: strict base64, the bearer token, snake_case input.
import { CaError } from '../errors.js';

/**
 * Decodes a protobuf-JSON `bytes` field: standard or URL-safe base64, padding optional (as
 * grpc-gateway accepts). Throws `CaError(code)` naming `field` when the text is not base64.
 */
export function decodeBase64Field(text: string, field: string, code: 'BAD_REQUEST' | 'BAD_CSR' | 'BAD_PUBLIC_KEY' = 'BAD_REQUEST'): Uint8Array {
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new CaError(code, `${field} is not valid base64`);
  }
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) throw new CaError(code, `${field} is empty`);
  return new Uint8Array(bytes);
}

/**
 * The identity token of a request: the body's `credentials.oidcIdentityToken` when present,
 * else `Authorization: Bearer <token>`. Throws `CaError('INVALID_TOKEN')` naming what is missing.
 */
export function identityToken(fromBody: string | undefined, authorization: string | undefined, bodyAllowed = true): string {
  if (bodyAllowed && fromBody !== undefined && fromBody !== '') return fromBody;
  if (authorization !== undefined) {
    const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization);
    if (m === null) throw new CaError('INVALID_TOKEN', 'the Authorization header must be "Bearer <identity token>"');
    return m[1]!;
  }
  throw new CaError(
    'INVALID_TOKEN',
    bodyAllowed
      ? 'no identity token: set credentials.oidcIdentityToken or an Authorization: Bearer header'
      : 'no identity token: the v1 API takes it only from an Authorization: Bearer header',
  );
}

const SNAKE_FIELDS: Record<string, string> = {
  oidc_identity_token: 'oidcIdentityToken',
  public_key_request: 'publicKeyRequest',
  public_key: 'publicKey',
  proof_of_possession: 'proofOfPossession',
  certificate_signing_request: 'certificateSigningRequest',
  signed_email_address: 'signedEmailAddress',
};

/** Depth of the deepest object of our bodies (`publicKeyRequest.publicKey`; the body is depth 0). */
const MAX_FIELD_DEPTH = 2;

/**
 * Renames the snake_case spellings of our fields to lowerCamelCase in place (protobuf JSON
 * accepts both on input); a camelCase field wins when both are sent. Returns its argument.
 * Objects below the depth where our fields live are left alone: walking a hostile body nested
 * thousands of levels deep would exhaust the stack.
 */
export function camelizeFields(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > MAX_FIELD_DEPTH) return value;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const camel = SNAKE_FIELDS[key];
    if (camel !== undefined) {
      if (!(camel in obj)) obj[camel] = obj[key];
      delete obj[key];
    }
    camelizeFields(obj[camel ?? key], depth + 1);
  }
  return obj;
}
