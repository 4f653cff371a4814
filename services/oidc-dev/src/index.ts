// @signet/oidc-dev: a development OIDC issuer (discovery, JWKS, token minting) on loopback only.
export { buildOidcApp, TOKEN_BODY_LIMIT, type OidcApp, type OidcAppOptions } from './app.js';
export { startDevOidc, LOOPBACK_HOSTS, type RunningDevOidc, type StartDevOidcOptions } from './start.js';
export { createDevIssuer, DEFAULT_AUDIENCE, TOKEN_LIFETIME_SECONDS, type DevIssuer, type DevIssuerOptions, type TokenRequest, type TokenResponse } from './issuer.js';
export { generateDevKey, loadOrCreateKeys, KEY_FILE_NAME, type DevAlgorithm, type DevSigningKey } from './keys.js';
export { OidcDevError, type OidcDevErrorCode } from './errors.js';
