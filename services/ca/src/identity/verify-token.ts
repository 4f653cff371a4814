// Identity token verification: OpenID discovery, a cached JWKS, the JWS signature and the claim checks of
// Fulcio (coreos/go-oidc): `iss` exact, `aud` contains the ClientID, `exp` with no leeway, `nbf` with 5 min,
// `iat` unchecked beyond its type. Every rejection names the failed check; the token itself is never
// logged or echoed.
//
// Speed: the CA verifies one token per certificate. jose 6 verifies only through WebCrypto (a threadpool
// round trip, 6,287/s at concurrency 1 in shared/reference/limits.md) while a synchronous node:crypto
// check runs at ~32,000/s, so signatures are checked here with node:crypto against KeyObjects imported
// once per JWKS fetch. The rules that make hand-rolled JWS safe are explicit below: a fixed algorithm
// allow-list (no `none`, no HMAC), each algorithm bound to one key type and curve, RSA ≥ 2048 bits, strict
// base64url, `crit` refused. jose is kept out of the hot path; this file stays its only permitted home.
import { constants, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { type HashAlgorithm, type PublicKey, nativeEcdsaStatus, parsePublicKey, rawEcdsaToDer, verifyMessage } from '@signet/pki';
import { CaError } from '../errors.js';
import { checkFetchUrl, createJsonGetter, type JsonGetter } from './fetch-json.js';
import type { VerifiedClaims } from './issuer.js';

/** JWS algorithms accepted for identity tokens (RFC 7518 §3.1 minus `none` and the HMAC family). */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
/** One of ALLOWED_ALGORITHMS. */
export type JwsAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];
/** `nbf` leeway (go-oidc's 5 minutes). `exp` has none. */
export const DEFAULT_NBF_LEEWAY_MS = 5 * 60_000;
/** Minimum time between two JWKS fetches caused by an unknown `kid`. */
export const DEFAULT_JWKS_REFRESH_COOLDOWN_MS = 30_000;
/** A JWKS older than this is refetched before use (a failed refetch keeps the old keys). */
export const DEFAULT_JWKS_MAX_AGE_MS = 60 * 60_000;
/** Timeout of one discovery or JWKS request (Fulcio's 10 s). */
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
/** Longest accepted token, in characters; real ID tokens are 1–4 KiB. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

const ALLOWED = new Set<string>(ALLOWED_ALGORITHMS);

/** A compact JWS split and decoded, not yet verified. */
export interface ParsedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header) "." base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Splits and decodes a compact JWS (RFC 7515 §7.1) without verifying it. Fulcio's rule that a token has
 * exactly two dots comes first (GHSA-f83f-xpx7-ffpw).
 * @throws CaError INVALID_TOKEN naming what is malformed.
 */
export function parseToken(raw: string): ParsedToken {
  if (raw.length === 0) throw new CaError('INVALID_TOKEN', 'no identity token was given');
  if (raw.length > MAX_TOKEN_LENGTH) throw new CaError('INVALID_TOKEN', `identity token is ${raw.length} characters, over the ${MAX_TOKEN_LENGTH} limit`);
  const parts = raw.split('.');
  if (parts.length !== 3) throw new CaError('INVALID_TOKEN', `identity token must be a compact JWS of three dot-separated parts, got ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  for (const [name, part] of [['header', h], ['payload', p], ['signature', s]] as const) {
    if (!B64URL.test(part)) throw new CaError('INVALID_TOKEN', `identity token ${name} is not base64url`);
  }
  return { header: jsonPart(h, 'header'), payload: jsonPart(p, 'payload'), signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

function jsonPart(part: string, name: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new CaError('INVALID_TOKEN', `identity token ${name} is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CaError('INVALID_TOKEN', `identity token ${name} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** What a verifier needs to know about one concrete issuer. */
export interface TokenVerifierOptions {
  /** The exact `iss`; discovery is fetched from `{issuerUrl}/.well-known/openid-configuration`. */
  issuerUrl: string;
  /** The audience (`aud`) tokens must contain. */
  clientId: string;
  now: () => Date;
  /** Used for discovery and JWKS unless `caCert` is set. Default: global fetch. */
  fetch?: typeof fetch;
  /** Structured log sink; never receives tokens. */
  log?: (msg: object) => void;
  /** Accept `http:` discovery and JWKS URLs on loopback hosts (development issuer only). */
  allowHttp?: boolean;
  /** PEM CA certificates trusted in addition to the system roots for this issuer (Fulcio's CACert). */
  caCert?: string;
  nbfLeewayMs?: number;
  jwksRefreshCooldownMs?: number;
  jwksMaxAgeMs?: number;
  fetchTimeoutMs?: number;
}

/** Verifies tokens of one issuer. Discovery is lazy: creating a verifier does no I/O. */
export interface TokenVerifier {
  readonly issuerUrl: string;
  /**
   * Verifies signature and claims and returns the claims.
   * @throws CaError INVALID_TOKEN (alg, signature, iss, aud, exp, nbf, iat), MISSING_CLAIM (`sub`),
   *   ISSUER_UNREACHABLE (discovery or JWKS could not be fetched or made no sense: not the caller's fault).
   */
  verify(token: ParsedToken): Promise<VerifiedClaims>;
}

interface VerifyKey {
  kid: string | undefined;
  alg: string | undefined;
  key: KeyObject;
  /** EC keys, when the native ECDSA addon is loaded: verified there (no KeyObject per call). */
  ec?: PublicKey;
}

interface KeyState {
  jwksUri: string;
  /** Algorithms the discovery document advertises, intersected with ours; undefined = all of ours. */
  algorithms: Set<string> | undefined;
  keys: VerifyKey[];
  fetchedAt: number;
}

/** Creates the verifier of one issuer (see TokenVerifier). */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const log = opts.log ?? (() => {});
  const cooldown = opts.jwksRefreshCooldownMs ?? DEFAULT_JWKS_REFRESH_COOLDOWN_MS;
  const maxAge = opts.jwksMaxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS;
  const getJson = createJsonGetter({ ...opts, timeoutMs: opts.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS });
  let state: KeyState | undefined;
  let inflight: Promise<KeyState> | undefined;
  let lastFetchAt = -Infinity;

  /** One discovery+JWKS fetch at a time; concurrent callers share it (a natural limit while the IdP is down). */
  function load(): Promise<KeyState> {
    inflight ??= (async () => {
      lastFetchAt = opts.now().getTime();
      try {
        // Discovery is refetched with every JWKS: a rotation may add an algorithm or move the JWKS.
        const discovered = await discover(opts, getJson);
        const keys = importJwks(await getJson(discovered.jwksUri, 'JWKS'), opts.issuerUrl, log);
        state = { ...discovered, keys, fetchedAt: opts.now().getTime() };
        log({ msg: 'identity issuer keys loaded', issuer: opts.issuerUrl, kids: keys.map((k) => k.kid ?? null) });
        return state;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  async function ready(): Promise<KeyState> {
    if (state === undefined) return load();
    if (opts.now().getTime() - state.fetchedAt > maxAge) {
      try {
        return await load();
      } catch (err) {
        log({ msg: 'identity issuer keys could not be refreshed; using the cached ones', issuer: opts.issuerUrl, error: (err as Error).message });
      }
    }
    return state;
  }

  return {
    issuerUrl: opts.issuerUrl,
    async verify(token: ParsedToken): Promise<VerifiedClaims> {
      const { alg, kid } = checkHeader(token.header);
      let s = await ready();
      let keys = candidates(s, alg, kid);
      if (keys.length === 0 && kid !== undefined && opts.now().getTime() - lastFetchAt >= cooldown) {
        // An unknown kid is how key rotation shows: refetch discovery and JWKS, at most once per cooldown.
        s = await load();
        keys = candidates(s, alg, kid);
      }
      if (s.algorithms !== undefined && !s.algorithms.has(alg)) {
        throw new CaError('INVALID_TOKEN', `token alg ${alg} is not among the algorithms ${opts.issuerUrl} advertises [${[...s.algorithms].join(', ')}]`);
      }
      if (keys.length === 0) {
        throw new CaError('INVALID_TOKEN', kid === undefined
          ? `the JWKS of ${opts.issuerUrl} has no ${alg} key`
          : `the JWKS of ${opts.issuerUrl} has no ${alg} key with kid ${JSON.stringify(kid)}`);
      }
      const data = Buffer.from(token.signingInput, 'latin1');
      if (!keys.some((k) => signatureValid(alg, k, data, token.signature))) {
        throw new CaError('INVALID_TOKEN', `token signature does not verify with the ${alg} key${kid === undefined ? 's' : ` ${JSON.stringify(kid)}`} of ${opts.issuerUrl}`);
      }
      return checkClaims(token.payload, opts);
    },
  };
}

function checkHeader(header: Record<string, unknown>): { alg: JwsAlgorithm; kid: string | undefined } {
  const alg = header['alg'];
  if (typeof alg !== 'string' || !ALLOWED.has(alg)) {
    const why = alg === 'none' ? ' (unsigned tokens are refused)' : typeof alg === 'string' && alg.startsWith('HS') ? ' (HMAC is refused)' : '';
    throw new CaError('INVALID_TOKEN', `token alg ${JSON.stringify(alg)} is not allowed${why}; allowed: ${ALLOWED_ALGORITHMS.join(', ')}`);
  }
  if (header['crit'] !== undefined) throw new CaError('INVALID_TOKEN', 'token header has crit parameters, none of which are supported');
  const kid = header['kid'];
  if (kid !== undefined && typeof kid !== 'string') throw new CaError('INVALID_TOKEN', 'token header kid is not a string');
  return { alg: alg as JwsAlgorithm, kid };
}

const CURVE_OF: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };
const HASH_OF: Record<string, string> = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/** Whether `key` may verify `alg`: one key type (and curve) per algorithm, RSA of at least 2048 bits. */
function keyFits(alg: JwsAlgorithm, k: VerifyKey): boolean {
  if (k.alg !== undefined && k.alg !== alg) return false;
  const type = k.key.asymmetricKeyType;
  const d = k.key.asymmetricKeyDetails;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return type === 'rsa' && (d?.modulusLength ?? 0) >= 2048;
  if (alg.startsWith('ES')) return type === 'ec' && d?.namedCurve === CURVE_OF[alg];
  return type === 'ed25519' || type === 'ed448';
}

/** The parsed form of an EC KeyObject, or undefined for curves @signet/pki does not verify. */
function pkiKeyOf(key: KeyObject): PublicKey | undefined {
  try {
    return parsePublicKey(new Uint8Array(key.export({ format: 'der', type: 'spki' })));
  } catch {
    return undefined;
  }
}

/** Keys that may verify this token: advertised algorithm, matching kid (when given), fitting key type. */
function candidates(s: KeyState, alg: JwsAlgorithm, kid: string | undefined): VerifyKey[] {
  if (s.algorithms !== undefined && !s.algorithms.has(alg)) return [];
  return s.keys.filter((k) => (kid === undefined || k.kid === kid) && keyFits(alg, k));
}

function signatureValid(alg: JwsAlgorithm, k: VerifyKey, data: Buffer, sig: Buffer): boolean {
  const key = k.key;
  try {
    if (alg === 'EdDSA') return verifySignature(null, data, key, sig);
    const hash = HASH_OF[alg.slice(2)] as string;
    if (alg.startsWith('RS')) return verifySignature(hash, data, key, sig);
    if (alg.startsWith('PS')) {
      return verifySignature(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, sig);
    }
    // ES*: JOSE signatures are r||s of fixed width (RFC 7518 §3.4).
    const width = { ES256: 64, ES384: 96, ES512: 132 }[alg as 'ES256'];
    if (k.ec !== undefined) {
      const der = sig.length === width ? rawEcdsaToDer(sig) : null;
      return der !== null && verifyMessage(k.ec, hash as HashAlgorithm, data, der);
    }
    return sig.length === width && verifySignature(hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

function iso(seconds: number): string {
  return Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString() : `${seconds} s`;
}

function numericDate(payload: Record<string, unknown>, name: string): number | undefined {
  const v = payload[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CaError('INVALID_TOKEN', `token ${name} claim is not a NumericDate`);
  return v;
}

function checkClaims(payload: Record<string, unknown>, opts: TokenVerifierOptions): VerifiedClaims {
  if (payload['iss'] !== opts.issuerUrl) {
    throw new CaError('INVALID_TOKEN', `token iss ${JSON.stringify(payload['iss'])} is not the issuer ${opts.issuerUrl}`);
  }
  const aud = payload['aud'];
  const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!auds.includes(opts.clientId)) {
    throw new CaError('INVALID_TOKEN', `token audience ${JSON.stringify(aud ?? null)} does not contain the configured client ID ${opts.clientId}`);
  }
  const now = opts.now().getTime();
  const exp = numericDate(payload, 'exp');
  if (exp === undefined) throw new CaError('INVALID_TOKEN', 'token has no exp claim');
  if (now > exp * 1000) throw new CaError('INVALID_TOKEN', `identity token expired at ${iso(exp)} (now ${iso(now / 1000)})`);
  const nbf = numericDate(payload, 'nbf');
  const leeway = opts.nbfLeewayMs ?? DEFAULT_NBF_LEEWAY_MS;
  if (nbf !== undefined && now < nbf * 1000 - leeway) {
    throw new CaError('INVALID_TOKEN', `identity token is not valid before ${iso(nbf)} (now ${iso(now / 1000)}, leeway ${leeway / 1000} s)`);
  }
  numericDate(payload, 'iat');
  const sub = payload['sub'];
  if (typeof sub !== 'string' || sub === '') throw new CaError('MISSING_CLAIM', 'token has no sub claim');
  return payload as VerifiedClaims;
}

async function discover(opts: TokenVerifierOptions, getJson: JsonGetter): Promise<{ jwksUri: string; algorithms: Set<string> | undefined }> {
  const url = `${opts.issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const doc = (await getJson(url, 'OpenID discovery')) as Record<string, unknown>;
  const unusable = (why: string) => new CaError('ISSUER_UNREACHABLE', `OpenID discovery of ${opts.issuerUrl} is unusable: ${why}`);
  if (typeof doc !== 'object' || doc === null) throw unusable('not a JSON object');
  if (doc['issuer'] !== opts.issuerUrl) throw unusable(`it names issuer ${JSON.stringify(doc['issuer'])}`);
  const jwksUri = doc['jwks_uri'];
  if (typeof jwksUri !== 'string') throw unusable('no jwks_uri');
  checkFetchUrl(jwksUri, opts, 'jwks_uri');
  const advertised = doc['id_token_signing_alg_values_supported'];
  const algorithms = Array.isArray(advertised) && advertised.length > 0 ? new Set(advertised.filter((a): a is string => typeof a === 'string' && ALLOWED.has(a))) : undefined;
  return { jwksUri, algorithms };
}

function importJwks(doc: unknown, issuer: string, log: (msg: object) => void): VerifyKey[] {
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new CaError('ISSUER_UNREACHABLE', `the JWKS of ${issuer} has no keys array`);
  const out: VerifyKey[] = [];
  for (const jwk of keys as Record<string, unknown>[]) {
    if (typeof jwk !== 'object' || jwk === null || (jwk['use'] !== undefined && jwk['use'] !== 'sig')) continue;
    // Import the public members only: a JWKS that leaks a private key still yields a public key.
    const pub = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x'] }[String(jwk['kty'])];
    if (pub === undefined) continue;
    try {
      const key = createPublicKey({ key: Object.fromEntries(pub.map((m) => [m, jwk[m]])) as never, format: 'jwk' });
      const ec = key.asymmetricKeyType === 'ec' && nativeEcdsaStatus().loaded ? pkiKeyOf(key) : undefined;
      out.push({ kid: typeof jwk['kid'] === 'string' ? jwk['kid'] : undefined, alg: typeof jwk['alg'] === 'string' ? jwk['alg'] : undefined, key, ...(ec !== undefined && { ec }) });
    } catch (err) {
      log({ msg: 'skipping an unusable JWK', issuer, kid: jwk['kid'] ?? null, error: (err as Error).message });
    }
  }
  return out;
}
