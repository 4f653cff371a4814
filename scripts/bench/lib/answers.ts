// Checks a benchmark applies to each Rekor LogEntry answer: the status, an inclusion proof present,
// and for a sample, the proof verified against the root it names.
import { hashLeaf, verifyInclusion } from '@signet/merkle';

type Proof = { logIndex: number; treeSize: number; rootHash: string; hashes: string[] };

/** undefined when the answer is good, else what is wrong with it. */
export function checkLogEntryAnswer(status: number, expected: number, body: Buffer, sample: boolean): string | undefined {
  if (status !== expected) return `status ${status}: ${body.toString('utf8').slice(0, 200)}`;
  if (!body.includes('"inclusionProof"')) return `no inclusionProof in the ${expected} answer`;
  if (!sample) return undefined;
  const entry = Object.values(JSON.parse(body.toString('utf8')) as Record<string, { body: string; verification: { inclusionProof: Proof } }>)[0]!;
  const p = entry.verification.inclusionProof;
  try {
    verifyInclusion(BigInt(p.logIndex), BigInt(p.treeSize), hashLeaf(Buffer.from(entry.body, 'base64')), p.hashes.map((h) => Buffer.from(h, 'hex')), Buffer.from(p.rootHash, 'hex'));
  } catch (err) {
    return `inclusion proof does not verify: ${(err as Error).message}`;
  }
  return undefined;
}
