// The Rekor v1 SearchIndex query (rekor.md §5) turned into search-key sets, one per criterion:
// `hash` (prefixed by its length when bare), `email`, `subject` and `publicKey` (x509 only: its
// canonical PEM's SHA-256, looked up both bare — as hashedrekord indexes it — and `sha256:`-prefixed
// — as dsse/intoto index it, an improvement over Rekor's key search).
import { createHash } from 'node:crypto';
import { LogError } from '../errors.js';
import { parseKeyMaterial } from './kinds/key-material.js';

/** SearchIndex: at least one criterion; `operator` combines them (default `or`). */
export interface SearchIndexQuery {
  hash?: string;
  email?: string;
  subject?: string;
  publicKey?: { format?: string; content?: string; url?: string };
  operator?: 'and' | 'or';
}

const HASH_PREFIX_BY_LENGTH: Record<number, string> = { 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' };
const HASH = /^(?:(sha1|sha256|sha384|sha512):)?([0-9a-fA-F]+)$/;

/**
 * The search keys of each criterion present in `q` (each inner list is OR-ed). Throws
 * `LogError('BAD_REQUEST')` naming the problem: no criterion, a malformed hash, an email or subject
 * holding U+0000, an unsupported key format, a key given by URL, or unparseable key content.
 */
export function searchIndexKeys(q: SearchIndexQuery): string[][] {
  const criteria: string[][] = [];
  if (q.hash !== undefined && q.hash !== '') {
    const m = HASH.exec(q.hash);
    const alg = m?.[1] ?? HASH_PREFIX_BY_LENGTH[m?.[2]?.length ?? 0];
    if (!m || !alg || HASH_PREFIX_BY_LENGTH[m[2]!.length] !== alg) {
      throw new LogError('BAD_REQUEST', `hash ${JSON.stringify(q.hash)} must be hex of a sha1/sha256/sha384/sha512 digest, optionally prefixed "<alg>:"`);
    }
    criteria.push([`${alg}:${m[2]!}`.toLowerCase()]);
  }
  for (const field of ['email', 'subject'] as const) {
    const value = q[field];
    if (value === undefined || value === '') continue;
    // No indexed key holds U+0000 (see normalizeSearchKeys), and PostgreSQL text cannot carry one.
    if (value.includes('\u0000')) throw new LogError('BAD_REQUEST', `${field} must not contain a NUL character (U+0000)`);
    criteria.push([value.toLowerCase()]);
  }
  if (q.publicKey !== undefined) {
    const { format, content, url } = q.publicKey;
    if (format !== 'x509') {
      throw new LogError('BAD_REQUEST', `publicKey.format ${JSON.stringify(format)} is not supported (this log indexes x509 keys only)`);
    }
    if (url !== undefined && url !== '') throw new LogError('BAD_REQUEST', 'publicKey.url is not supported: send the key in publicKey.content');
    if (content === undefined || content === '') throw new LogError('BAD_REQUEST', 'publicKey.content is missing');
    const pem = decodeKeyContent(content);
    let canonicalPem: string;
    try {
      canonicalPem = parseKeyMaterial(pem, 'publicKey.content').canonicalPem;
    } catch (e) {
      throw new LogError('BAD_REQUEST', (e as Error).message, {}, { cause: e });
    }
    const fp = createHash('sha256').update(canonicalPem, 'utf8').digest('hex');
    criteria.push([fp, `sha256:${fp}`]);
  }
  if (criteria.length === 0) throw new LogError('BAD_REQUEST', 'the search needs at least one of hash, email, subject or publicKey');
  return criteria;
}

/** Rekor's `publicKey.content` is base64 of the PEM; a raw PEM is accepted too. */
function decodeKeyContent(content: string): Uint8Array {
  if (content.includes('-----BEGIN')) return new Uint8Array(Buffer.from(content, 'utf8'));
  const s = content.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new LogError('BAD_REQUEST', 'publicKey.content is not valid base64');
  return new Uint8Array(Buffer.from(s, 'base64'));
}
