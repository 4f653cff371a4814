// The Certificate Transparency personality of the tlog service (RFC 6962 + C2SP static-ct-api).
export { CtLog, MAX_GET_ENTRIES, type CtEngine, type CtLogOptions, type AddChainResponse, type SthResponse, type EntryResponse } from './ct-log.js';
export { openCtPersonality, DEFAULT_CT_LOG_NAME, DEFAULT_CT_PREFIX, type CtPersonality, type CtPersonalityOptions } from './personality.js';
export { ctRoutes, registerCt, type CtRoutesOptions } from './http/routes.js';
export { loadAcceptedRoots, validateSubmission, fingerprint, type AcceptedRoots, type Submission } from './submission.js';
export { encodeLeaf, decodeLeaf, ENTRY_TYPE, type CtLeaf } from './leaf.js';
export { encodeExtraData, decodeExtraData, type ExtraData } from './extra.js';
export { staticCheckpoint, rfc6962NoteKeyId, tileLeafOf } from './static-ct.js';
export { treeHeadSignatureData, encodeDigitallySigned, decodeDigitallySigned, tlsAlgorithmsOf } from './tls.js';
export type { SignedTreeHead } from './sth.js';
