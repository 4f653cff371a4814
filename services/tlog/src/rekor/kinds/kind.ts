// An entry type ("kind") of the Rekor v1 API: turns a proposed spec into the exact leaf bytes Rekor
// would store, plus the keys under which the search index must find the entry (rekor.md §4, §5).

/** The canonical leaf of one proposed entry. */
export interface CanonicalEntry {
  /** RFC 8785 canonical JSON of `{apiVersion, kind, spec}` in the stored (server-side) form. */
  body: Uint8Array;
  /** Lower-case, de-duplicated search keys (artifact digests, key fingerprints, SANs…). */
  searchKeys: string[];
}

/** One (kind, apiVersion) pair of the Rekor API. */
export interface Kind {
  readonly kind: string;
  readonly apiVersion: string;
  /**
   * Validates `spec` (the `spec` member of a ProposedEntry), verifies its signatures and returns the
   * canonical stored form. Throws `LogError('ENTRY_INVALID')` naming the offending field, or
   * `LogError('UNSUPPORTED_KIND')` for a disallowed key/hash combination.
   */
  canonicalize(spec: unknown): Promise<CanonicalEntry>;
}

/**
 * Normalises search keys: lower-cased, empty ones dropped, duplicates removed, order kept. A key
 * holding U+0000 is dropped too: PostgreSQL text cannot store it (the whole batch's commit would
 * fail), and no real digest, address or name contains one — it can come only from signed content
 * such as an in-toto subject digest or a certificate SAN, so the entry is logged without that key.
 */
export function normalizeSearchKeys(keys: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const k of keys) if (k.length > 0 && !k.includes('\u0000')) out.add(k.toLowerCase());
  return [...out];
}
