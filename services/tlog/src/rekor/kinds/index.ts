// The kinds this log accepts, and the ProposedEntry front door that dispatches to them.
import { LogError } from '../../errors.js';
import type { CanonicalEntry, Kind } from './kind.js';
import { hashedrekordV001 } from './hashedrekord.js';
import { dsseV001 } from './dsse.js';
import { intotoV002 } from './intoto.js';

export type { CanonicalEntry, Kind } from './kind.js';
export { hashedrekordV001, dsseV001, intotoV002 };

/** Every (kind, apiVersion) accepted by POST /api/v1/log/entries. */
export const DEFAULT_KINDS: readonly Kind[] = [hashedrekordV001, dsseV001, intotoV002];

/** Rekor kinds that exist upstream but that this log does not accept for writing. */
const KNOWN_REKOR_KINDS = ['rekord', 'rpm', 'tuf', 'alpine', 'helm', 'intoto', 'cose', 'jar', 'rfc3161', 'dsse', 'hashedrekord'];

/**
 * Canonicalizes a Rekor `ProposedEntry` `{kind, apiVersion, spec}` with the matching kind.
 * Throws `LogError('ENTRY_INVALID')` for a malformed envelope and `LogError('UNSUPPORTED_KIND')` for
 * an unknown or unsupported kind/apiVersion, naming what is supported.
 */
export async function canonicalizeProposedEntry(proposed: unknown, kinds: readonly Kind[] = DEFAULT_KINDS): Promise<CanonicalEntry> {
  if (typeof proposed !== 'object' || proposed === null || Array.isArray(proposed)) {
    throw new LogError('ENTRY_INVALID', 'the proposed entry must be a JSON object with kind, apiVersion and spec');
  }
  const { kind, apiVersion, spec } = proposed as Record<string, unknown>;
  if (typeof kind !== 'string' || kind === '') throw new LogError('ENTRY_INVALID', 'kind is missing');
  if (typeof apiVersion !== 'string' || apiVersion === '') throw new LogError('ENTRY_INVALID', 'apiVersion is missing');
  if (spec === undefined || spec === null) throw new LogError('ENTRY_INVALID', 'spec is missing');
  const supported = kinds.map((k) => `${k.kind} ${k.apiVersion}`).join(', ');
  const match = kinds.find((k) => k.kind === kind && k.apiVersion === apiVersion);
  if (match) return match.canonicalize(spec);
  const what = kinds.some((k) => k.kind === kind) || KNOWN_REKOR_KINDS.includes(kind) ? `${kind} ${apiVersion}` : `kind ${JSON.stringify(kind)}`;
  throw new LogError('UNSUPPORTED_KIND', `${what} is not supported by this log (supported: ${supported})`);
}
