// The part of the generic log engine (`../log`) that the Rekor personality and the shared routes use.
// It is a view of `Log` (a Pick, not a copy), so the contract and its documentation live in one place
// (`log/log.ts`, `log/sequencer.ts`, `@signet/storage`) and cannot drift apart.
import type { Appended, InclusionProof as LogInclusionProof, Log, LogEntry, LogEntryText } from '../log/index.js';

/** What `append` reports once the entry is durable and covered by a signed checkpoint. */
export type AppendResult = Appended;

/** One stored entry. */
export type StoredEntry = LogEntry;

/** One stored entry with its leaf hash in hex and its body in base64 (`entryTexts`). */
export type StoredEntryText = LogEntryText;

/** An inclusion proof as the engine returns it. */
export type InclusionProof = LogInclusionProof;

/**
 * The log engine contract: append (throws LogError ENTRY_EXISTS {index} / PUSHBACK
 * {retryAfterSeconds} / STORAGE_FAILURE / SHUTTING_DOWN), head, proofs, entry reads, search, tiles.
 */
export type LogEngine = Pick<
  Log,
  'logId' | 'append' | 'head' | 'inclusionProof' | 'consistencyProof' | 'entries' | 'entryTexts' | 'search' | 'tile' | 'entryBundle' | 'close'
>;
