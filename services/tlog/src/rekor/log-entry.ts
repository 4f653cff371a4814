// The Rekor v1 `LogEntry` JSON (rekor.md §1, sigstore-js-client.md §1.3): an object with exactly one
// key, the entryID, whose value carries the body, times, IDs and the verification material.
import type { Signer } from '@signet/pki';
import { entryIdOf, toHex, toHexEach } from './entry-id.js';
import { setFieldsOf, signSet, storedSet, toSafeNumber } from './set.js';
import type { SetCache } from './set-cache.js';

export { toSafeNumber };

/** `verification.inclusionProof` of a Rekor v1 LogEntry. */
export interface RekorInclusionProof {
  logIndex: number;
  rootHash: string;
  treeSize: number;
  hashes: string[];
  checkpoint: string;
}

/** The value under the entryID key ("LogEntryAnon" in Rekor's OpenAPI). */
export interface RekorLogEntryAnon {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: { signedEntryTimestamp: string; inclusionProof: RekorInclusionProof };
}

/** A Rekor v1 LogEntry: `{[entryID]: LogEntryAnon}`. */
export type RekorLogEntry = Record<string, RekorLogEntryAnon>;

/** What the engine knows about an entry, plus the proof to a signed checkpoint. */
export interface EntryWithProof {
  index: bigint;
  leafHash: Uint8Array;
  body: Uint8Array;
  /** Unix milliseconds, as the engine records it. */
  integratedTime: number;
  /** What the engine stores beside the entry: its SET when it was signed at sequencing. */
  extra: Uint8Array | null;
  proof: { treeSize: bigint; rootHash: Uint8Array; hashes: Uint8Array[]; checkpoint: string };
}

/** The log identity needed to render entries. */
export interface RekorIdentity {
  treeId: bigint;
  /** SHA-256 of the log key's DER SPKI. */
  logId: Uint8Array;
  signer: Signer;
}

/**
 * Builds the LogEntry for `e` with a SET over {body, integratedTime (seconds), logID, logIndex}: the
 * one stored in `e.extra` when there is one, else from `sets` when given (signed once per entry while
 * it stays cached), else freshly signed with the log signer. Returns the entryID with the entry.
 */
export async function renderLogEntry(
  id: RekorIdentity,
  e: EntryWithProof,
  sets?: SetCache,
): Promise<{ entryId: string; entry: RekorLogEntry }> {
  const entryId = entryIdOf(id.treeId, e.leafHash);
  const fields = setFieldsOf(toHex(id.logId), e);
  const { body, integratedTime, logID, logIndex } = fields;
  const signedEntryTimestamp = storedSet(e.extra) ?? (sets ? await sets.get(e.leafHash, fields) : await signSet(id.signer, fields));
  const anon: RekorLogEntryAnon = {
    body,
    integratedTime,
    logID,
    logIndex,
    verification: {
      signedEntryTimestamp,
      inclusionProof: {
        logIndex,
        rootHash: toHex(e.proof.rootHash),
        treeSize: toSafeNumber(e.proof.treeSize),
        hashes: toHexEach(e.proof.hashes),
        checkpoint: e.proof.checkpoint,
      },
    },
  };
  return { entryId, entry: { [entryId]: anon } };
}

/** The last checkpoint serialised, with its JSON text: every answer against one head shares it. */
let lastCheckpoint = '';
let lastCheckpointJson = '""';

/**
 * The JSON text of a LogEntry made by `renderLogEntry`: byte for byte `JSON.stringify(entry)`, which
 * is also what fastify's schema serialiser writes for it. Every string in such an entry except the
 * checkpoint is base64 or hex of our own making (nothing to escape), so they are written as they are;
 * the checkpoint (a signed note, with newlines) goes through JSON.stringify once per head.
 */
export function logEntryJson(entry: RekorLogEntry): string {
  let out = '{';
  for (const entryId in entry) {
    const a = entry[entryId]!;
    const p = a.verification.inclusionProof;
    if (p.checkpoint !== lastCheckpoint) {
      lastCheckpointJson = JSON.stringify(p.checkpoint);
      lastCheckpoint = p.checkpoint;
    }
    if (out.length > 1) out += ',';
    out +=
      `"${entryId}":{"body":"${a.body}","integratedTime":${a.integratedTime},"logID":"${a.logID}","logIndex":${a.logIndex},` +
      `"verification":{"signedEntryTimestamp":"${a.verification.signedEntryTimestamp}","inclusionProof":{"logIndex":${p.logIndex},` +
      `"rootHash":"${p.rootHash}","treeSize":${p.treeSize},"hashes":[${p.hashes.length === 0 ? '' : `"${p.hashes.join('","')}"`}],` +
      `"checkpoint":${lastCheckpointJson}}}}`;
  }
  return out + '}';
}
