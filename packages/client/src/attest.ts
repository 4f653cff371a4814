import { createHash } from 'node:crypto';
import { ClientError } from './errors.js';

/**
 * In-toto attestations: a Statement v1 whose subject is the artifact (name + SHA-256) and whose
 * predicate is the user's document, with cosign's predicate-type names for the common kinds.
 */

/** `--type` values and the predicate type URIs they stand for (as cosign maps them). */
export const PREDICATE_TYPES = {
  slsaprovenance: 'https://slsa.dev/provenance/v1',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
} as const;

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/** A `--type` value (or a full URI) → the predicate type URI. Throws USAGE for an unknown short name. */
export function predicateTypeOf(type: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(type)) return type;
  const uri = (PREDICATE_TYPES as Record<string, string>)[type];
  if (!uri) throw new ClientError('USAGE', `unknown predicate type ${JSON.stringify(type)} (one of ${Object.keys(PREDICATE_TYPES).join(', ')}, or a URI)`);
  return uri;
}

/**
 * Builds the statement. `predicate` must be a JSON document (SBOMs, provenance, scan results);
 * throws USAGE naming the problem otherwise.
 */
export function buildStatement(subject: { name: string; data: Buffer }, predicateType: string, predicate: Buffer): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(predicate.toString('utf8'));
  } catch (cause) {
    throw new ClientError('USAGE', 'the predicate file is not JSON', { cause });
  }
  const statement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: subject.name, digest: { sha256: createHash('sha256').update(subject.data).digest('hex') } }],
    predicateType,
    predicate: parsed,
  };
  return Buffer.from(JSON.stringify(statement));
}

/**
 * Checks a verified DSSE payload: an in-toto statement of `predicateType` whose subjects include the
 * artifact's SHA-256. Throws `PREDICATE_MISMATCH` or `VERIFICATION_FAILED` naming what differs.
 */
export function checkStatement(payloadType: string, payload: Buffer, artifact: Buffer | undefined, predicateType: string): Record<string, unknown> {
  if (payloadType !== 'application/vnd.in-toto+json') {
    throw new ClientError('PREDICATE_MISMATCH', `the envelope holds ${payloadType}, not an in-toto statement`);
  }
  let statement: { predicateType?: unknown; subject?: { digest?: Record<string, string> }[] };
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch (cause) {
    throw new ClientError('VERIFICATION_FAILED', 'the attestation payload is not JSON', { cause });
  }
  if (statement.predicateType !== predicateType) {
    throw new ClientError('PREDICATE_MISMATCH', `the attestation's predicate type is ${JSON.stringify(statement.predicateType)}, not ${JSON.stringify(predicateType)}`);
  }
  if (artifact) {
    const digest = createHash('sha256').update(artifact).digest('hex');
    if (!(statement.subject ?? []).some((s) => s.digest?.sha256 === digest)) {
      throw new ClientError('VERIFICATION_FAILED', `no subject of the attestation has the artifact's sha256 ${digest}`);
    }
  }
  return statement as Record<string, unknown>;
}
