import { decodeJwt } from 'jose';
import { ClientError } from './errors.js';

/**
 * Identity-token acquisition for keyless signing, in the order cosign and sigstore-js use:
 * an explicit token, `SIGSTORE_ID_TOKEN`, the GitHub Actions OIDC endpoint (audience `sigstore`),
 * and — against a development stack only — its local issuer's `POST /token`.
 */
export interface TokenSources {
  /** `--identity-token`: a JWT, or a path to a file holding one. */
  identityToken?: string;
  env: Record<string, string | undefined>;
  /** A development stack's issuer URL (from stack.json or `--oidc-issuer`). */
  devIssuerUrl?: string;
  /** The email the development issuer should vouch for. */
  devIdentity?: string;
  fetch?: typeof fetch;
}

/** The audience Fulcio-compatible CAs expect. */
export const SIGSTORE_AUDIENCE = 'sigstore';

/** Development identity used when none is given. */
export const DEFAULT_DEV_IDENTITY = 'developer@signet.localhost';

async function post(fetcher: typeof fetch, url: string, init: RequestInit, what: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetcher(url, init);
  } catch (cause) {
    throw new ClientError('NO_TOKEN', `${what} at ${url} is unreachable`, { cause });
  }
  const text = await res.text();
  if (!res.ok) throw new ClientError('NO_TOKEN', `${what} at ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new ClientError('NO_TOKEN', `${what} at ${url} did not answer JSON`, { cause });
  }
}

/** Requests a token from the GitHub Actions OIDC endpoint for audience `sigstore`. */
async function githubActionsToken(env: TokenSources['env'], fetcher: typeof fetch): Promise<string> {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL as string);
  url.searchParams.set('audience', SIGSTORE_AUDIENCE);
  const body = await post(fetcher, url.href, { headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } }, 'the GitHub Actions OIDC endpoint');
  if (typeof body.value !== 'string') throw new ClientError('NO_TOKEN', 'the GitHub Actions OIDC endpoint answered no token');
  return body.value;
}

/** Mints a token from a development stack's issuer. */
async function devIssuerToken(issuer: string, email: string, fetcher: typeof fetch): Promise<string> {
  const body = await post(
    fetcher,
    `${issuer.replace(/\/+$/, '')}/token`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) },
    'the development OIDC issuer',
  );
  if (typeof body.id_token !== 'string') throw new ClientError('NO_TOKEN', 'the development OIDC issuer answered no id_token');
  return body.id_token;
}

/**
 * Returns an identity token from the first source that has one. Throws `ClientError('NO_TOKEN')`
 * naming every source tried when none has.
 */
export async function obtainIdentityToken(src: TokenSources): Promise<string> {
  const fetcher = src.fetch ?? fetch;
  if (src.identityToken) return src.identityToken.trim();
  if (src.env.SIGSTORE_ID_TOKEN) return src.env.SIGSTORE_ID_TOKEN.trim();
  if (src.env.ACTIONS_ID_TOKEN_REQUEST_URL && src.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return githubActionsToken(src.env, fetcher);
  if (src.devIssuerUrl) return devIssuerToken(src.devIssuerUrl, src.devIdentity ?? DEFAULT_DEV_IDENTITY, fetcher);
  throw new ClientError(
    'NO_TOKEN',
    'no identity token: pass --identity-token, set SIGSTORE_ID_TOKEN, run in GitHub Actions with id-token: write, or start a development stack',
  );
}

/** The identity a token asserts (for messages): its `email`, else its `sub`, and its issuer. */
export function describeToken(token: string): { identity: string; issuer: string } {
  try {
    const claims = decodeJwt(token);
    return { identity: String(claims.email ?? claims.sub ?? '?'), issuer: String(claims.iss ?? '?') };
  } catch (cause) {
    throw new ClientError('NO_TOKEN', 'the identity token is not a JWT', { cause });
  }
}
