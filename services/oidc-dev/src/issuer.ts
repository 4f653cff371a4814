// The development OIDC issuer's logic: discovery document, JWKS and token minting. Tokens look like the
// ones Sigstore sees in production (iss, sub, aud, iat, exp; email + email_verified for people; any extra
// claims the caller sends, e.g. GitHub Actions' for tests). For local development and tests only.
import { SignJWT } from 'jose';
import { OidcDevError } from './errors.js';
import type { DevSigningKey } from './keys.js';

/** Default `aud`: Sigstore clients ask for this audience. */
export const DEFAULT_AUDIENCE = 'sigstore';
/** Lifetime of a minted token, in seconds. */
export const TOKEN_LIFETIME_SECONDS = 600;

/** A token request: `email` or `sub` is required; everything else becomes a claim. */
export type TokenRequest = Record<string, unknown>;

/** The token endpoint's answer. */
export interface TokenResponse {
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** A running issuer's state. `keys` may grow (key rotation); the last key signs, all are published. */
export interface DevIssuer {
  readonly issuerUrl: string;
  discovery(): Record<string, unknown>;
  jwks(): { keys: object[] };
  /**
   * Signs an ID token for the request.
   * @throws OidcDevError BAD_REQUEST naming the offending field.
   */
  mint(request: TokenRequest): Promise<TokenResponse>;
}

/** Options of createDevIssuer. */
export interface DevIssuerOptions {
  /** The issuer URL, or a function giving it (known only once the server listens). No trailing slash. */
  issuerUrl: string | (() => string);
  now: () => Date;
  /** Signing keys, last one active. Must not be empty. */
  keys: DevSigningKey[];
}

/** Creates the issuer logic over a key list shared with the caller. */
export function createDevIssuer(opts: DevIssuerOptions): DevIssuer {
  if (opts.keys.length === 0) throw new OidcDevError('BAD_REQUEST', 'the development issuer needs at least one key');
  const url = typeof opts.issuerUrl === 'string' ? () => opts.issuerUrl as string : opts.issuerUrl;
  return {
    get issuerUrl() {
      return url();
    },
    discovery: () => ({
      issuer: url(),
      jwks_uri: `${url()}/jwks`,
      token_endpoint: `${url()}/token`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [...new Set(opts.keys.map((k) => k.alg))],
      claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'email', 'email_verified'],
    }),
    jwks: () => ({ keys: opts.keys.map((k) => k.publicJwk) }),
    async mint(request: TokenRequest): Promise<TokenResponse> {
      const claims = tokenClaims(request, url(), Math.floor(opts.now().getTime() / 1000));
      const key = opts.keys[opts.keys.length - 1] as DevSigningKey;
      const jwt = await new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
      return { id_token: jwt, token_type: 'Bearer', expires_in: (claims['exp'] as number) - (claims['iat'] as number) };
    },
  };
}

function tokenClaims(req: TokenRequest, iss: string, now: number): Record<string, unknown> {
  const bad = (msg: string) => new OidcDevError('BAD_REQUEST', msg);
  if (typeof req !== 'object' || req === null || Array.isArray(req)) throw bad('the request body must be a JSON object');
  const { email, sub, aud } = req;
  if (email === undefined && sub === undefined) throw bad('give "email" or "sub"');
  if (email !== undefined && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email))) throw bad('"email" must be an email address');
  if (sub !== undefined && (typeof sub !== 'string' || sub === '')) throw bad('"sub" must be a non-empty string');
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    throw bad('"aud" must be a string or an array of strings');
  }
  if ('iss' in req) throw bad('"iss" is always this issuer and cannot be set');
  for (const t of ['exp', 'nbf', 'iat'] as const) {
    if (req[t] !== undefined && (typeof req[t] !== 'number' || !Number.isFinite(req[t]))) throw bad(`"${t}" must be a number (seconds since the epoch)`);
  }
  const claims: Record<string, unknown> = {
    iat: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    ...req,
    iss,
    sub: sub ?? email,
    aud: aud ?? DEFAULT_AUDIENCE,
  };
  if (email !== undefined && req['email_verified'] === undefined) claims['email_verified'] = true;
  return claims;
}
