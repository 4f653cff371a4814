// @signet/tlog: the Rekor v1-compatible transparency log service (and the helpers the CT personality
// reuses). The only front door of the package.
export { buildApp, type AppDeps } from './app.js';
export {
  loadConfig,
  type Config,
  type LogLevel,
  type CtConfig,
  DEFAULT_CT_LOG_NAME,
  DEFAULT_CT_PREFIX,
  DEFAULT_CT_KEY,
  ENV_VARS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_DATABASE_SCHEMA,
  DEFAULT_LOG_NAME,
  DEFAULT_LOG_KEY,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_PENDING,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_SEARCH_RESULTS,
  DEFAULT_WORKERS,
  DEFAULT_LOG_LEVEL,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from './config.js';
export { startTlog, type RunningTlog, type StartOptions } from './main.js';
export { LogError, type LogErrorCode } from './errors.js';
// --- Rekor helpers (also used by the CT personality) ---
export { canonicalize, canonicalizeToBytes, type JsonValue } from './rekor/canonical-json.js';
export { setPayload, signSet, type SetFields } from './rekor/set.js';
export { uuidOf, entryIdOf, parseEntryId, defaultTreeId, isValidTreeId, toHex, type ParsedEntryId } from './rekor/entry-id.js';
export { renderLogEntry, toSafeNumber, type RekorLogEntry, type RekorLogEntryAnon, type RekorInclusionProof } from './rekor/log-entry.js';
export { RekorLog, MAX_RETRIEVE_ITEMS, type RekorLogOptions, type RekorLogInfo, type SearchLogQuery } from './rekor/rekor-log.js';
export type { LogEngine } from './rekor/engine.js';
export { canonicalizeProposedEntry, DEFAULT_KINDS, hashedrekordV001, dsseV001, intotoV002, type Kind, type CanonicalEntry } from './rekor/kinds/index.js';
