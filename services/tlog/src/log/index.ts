// The log engine: a personality-free transparency log over @signet/storage. See docs/design/sequencer.md.
export { Log, type NewLogEntry, type InclusionProof, type ConsistencyProof } from './log.js';
export type { Appended, BodyAtSequencing, ExtraAtSequencing, PlacedEntry } from './sequencer.js';
export {
  type LogOptions,
  type Timers,
  realTimers,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_PENDING,
  DEFAULT_MAX_COMMIT_ATTEMPTS,
  DEFAULT_HEAD_TTL_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
  PUSHBACK_RETRY_AFTER_SECONDS,
  MAX_BODY_BYTES,
  MAX_ENTRIES_PER_READ,
} from './options.js';
export { DEFAULT_TILE_CACHE_BYTES, TILE_WIDTH } from './tile-cache.js';
export type { EntryQuery, LogEntry, LogEntryText, LogHead } from '@signet/storage';
