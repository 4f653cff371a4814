// @signet/client: sign and verify blobs and attestations against a Signet deployment, inspect its
// log, and manage trust. The only front door of the package; the CLI (src/cli) imports only this.
export { ClientError, type ClientErrorCode } from './errors.js';
export { resolveConfig, baseUrl, required, CONFIG_KEYS, type ClientConfig } from './config.js';
export { obtainIdentityToken, describeToken, DEFAULT_DEV_IDENTITY, SIGSTORE_AUDIENCE, type TokenSources } from './identity.js';
export { signBlob, signDsse, toV03, keyHint, IN_TOTO_PAYLOAD_TYPE, type SignOptions, type SigningIdentity } from './sign.js';
export { verifyBundle, matches, parseBundle, type IdentityPolicy, type Matcher, type VerifyInput, type VerifyResult } from './verify.js';
export { buildStatement, checkStatement, predicateTypeOf, PREDICATE_TYPES, IN_TOTO_STATEMENT_TYPE } from './attest.js';
export { generateKeyPair } from './keys.js';
export { loadTrustedRoot, trustInit, describeTrustedRoot, fetchTrustedRootViaTuf, readTrustSource, type TrustSource } from './trust.js';
export { LogClient, type FetchedEntry, type LogInfo, type SearchQuery } from './log/log-client.js';
export { logKeysOf, logKeyFor, verifyLogEntry, verifyCheckpoint, setPayload, type LogKey } from './log/verify-entry.js';
export { checkLogConsistency, type ConsistencyResult } from './log/consistency.js';
