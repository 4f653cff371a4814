// @signet/ca: the Fulcio-compatible certificate authority. The only front door of the service.
export { buildApp, type AppDeps } from './app.js';
export {
  loadConfig,
  type Config,
  type CaKeyBackend,
  type CtLogConfig,
  type IssuerConfigSource,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_WORKERS,
  DEFAULT_LOG_LEVEL,
  DEFAULT_VALIDITY_SECONDS,
  DEFAULT_CT_TIMEOUT_MS,
  MAX_VALIDITY_SECONDS,
} from './config.js';
export { startCa, type RunningCa, type StartCaOptions } from './start.js';
export { createCa, type CertificateAuthority, type CaDeps, type IssueRequest, type IssuedCertificate } from './ca.js';
export { openAuthority, createEphemeralCa, authorityFromEphemeral, validateChain, type Authority, type EphemeralCaMaterial } from './authority.js';
export { createHttpCtClient, type CtClient, type HttpCtClientOptions } from './ct/ct-client.js';
export { CaError, type CaErrorCode } from './errors.js';
