// A Rekor v1 LogEntry (log-entry.ts) as JSON text, written from a template: the 201 of POST
// /api/v1/log/entries is sent as this text instead of an object that the route's serialiser then
// walks and escape-checks (~2 KB of base64 per entry). Every interpolated string is hex or base64 by
// construction and needs no escaping; the checkpoint (a signed note, with newlines and an em dash)
// goes through JSON.stringify. The members are in log-entry.ts's order, so the text is byte for byte
// JSON.stringify of the object (log-entry-json.test.ts).
import type { RekorLogEntryAnon } from './log-entry.js';

/** `{"<entryId>": anon}` as JSON text. */
export function logEntryJson(entryId: string, anon: RekorLogEntryAnon): string {
  const { signedEntryTimestamp, inclusionProof: p } = anon.verification;
  const hashes = p.hashes.length === 0 ? '' : `"${p.hashes.join('","')}"`;
  return (
    `{"${entryId}":{"body":"${anon.body}","integratedTime":${anon.integratedTime},"logID":"${anon.logID}","logIndex":${anon.logIndex},` +
    `"verification":{"signedEntryTimestamp":"${signedEntryTimestamp}","inclusionProof":{"logIndex":${p.logIndex},` +
    `"rootHash":"${p.rootHash}","treeSize":${p.treeSize},"hashes":[${hashes}],"checkpoint":${JSON.stringify(p.checkpoint)}}}}}`
  );
}
