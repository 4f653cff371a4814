// Certification path validation (RFC 5280 §6, the subset Sigstore needs): from a leaf through
// untrusted intermediates to a trusted root, checking name chaining and AKI/SKI, signatures,
// validity at a given time, the CA flag, keyCertSign, pathLen and unknown critical extensions.
import { PkiError } from '../errors.js';
import { describeName } from './name.js';
import { CT_OIDS, EXT_OIDS } from './oids.js';
import { KEY_USAGE, type ParsedCertificate } from './parse.js';
import { verifySignatureByOid } from './signature.js';

/** Longest path searched (leaf and root included). */
export const MAX_CHAIN_LENGTH = 8;

/** Options of verifyChain. */
export interface VerifyChainOptions {
  /** Accept a leaf carrying the critical CT poison (a precertificate, RFC 6962 §3.1). */
  allowPrecertificate?: boolean;
}

const HANDLED_CRITICAL = new Set<string>([
  EXT_OIDS.basicConstraints,
  EXT_OIDS.keyUsage,
  EXT_OIDS.extKeyUsage,
  EXT_OIDS.subjectAltName,
]);

/**
 * Finds and validates a path leaf → intermediates* → root and returns it (leaf first, root last).
 * Every certificate must be valid at `at`; each issuer must match its child's issuer Name (and its
 * SKI the child's AKI when both exist), be a CA, allow keyCertSign when it has a keyUsage, respect
 * its pathLen, and verify its child's signature. Roots are trust anchors: their own signature is
 * not checked. Throws PkiError('CHAIN_INVALID') with the reason when no path validates.
 */
export function verifyChain(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  roots: readonly ParsedCertificate[],
  at: Date,
  opts: VerifyChainOptions = {},
): ParsedCertificate[] {
  const fail = (reason: string): never => {
    throw new PkiError('CHAIN_INVALID', reason);
  };
  const leafProblem = validityProblem(leaf, at, 'leaf') ?? criticalProblem(leaf, opts.allowPrecertificate === true, 'leaf');
  if (leafProblem) fail(leafProblem);
  if (roots.length === 0) fail('no trusted roots given');
  if (roots.some((r) => sameCert(r, leaf))) return [leaf];
  let reason: string | undefined;
  const search = (path: ParsedCertificate[]): ParsedCertificate[] | undefined => {
    const child = path[path.length - 1]!;
    const candidates: [ParsedCertificate, boolean][] = [
      ...roots.map((r): [ParsedCertificate, boolean] => [r, true]),
      ...intermediates.map((c): [ParsedCertificate, boolean] => [c, false]),
    ];
    for (const [cand, isRoot] of candidates) {
      if (!bytesEqual(cand.subject, child.issuer)) continue;
      if (child.aki && cand.ski && !bytesEqual(child.aki, cand.ski)) continue;
      if (path.some((p) => sameCert(p, cand))) continue;
      const problem = issuerProblem(cand, child, path, at);
      if (problem !== undefined) {
        reason = problem;
        continue;
      }
      if (isRoot) return [...path, cand];
      if (path.length + 1 >= MAX_CHAIN_LENGTH) {
        reason = `chain longer than ${MAX_CHAIN_LENGTH} certificates`;
        continue;
      }
      const found = search([...path, cand]);
      if (found) return found;
    }
    reason ??= `no issuer found for "${describeName(child.issuer)}"`;
    return undefined;
  };
  return search([leaf]) ?? fail(reason ?? 'no path to a trusted root');
}

function issuerProblem(cand: ParsedCertificate, child: ParsedCertificate, path: ParsedCertificate[], at: Date): string | undefined {
  const name = `"${describeName(cand.subject)}"`;
  if (!cand.isCa) return `issuer ${name} is not a CA`;
  if (cand.keyUsage !== undefined && !(cand.keyUsage & KEY_USAGE.keyCertSign)) return `issuer ${name} may not sign certificates (keyUsage)`;
  const invalid = validityProblem(cand, at, `issuer ${name}`) ?? criticalProblem(cand, false, `issuer ${name}`);
  if (invalid) return invalid;
  if (cand.pathLen !== undefined) {
    let below = 0;
    for (let i = 1; i < path.length; i++) if (!bytesEqual(path[i]!.subject, path[i]!.issuer)) below++;
    if (below > cand.pathLen) return `issuer ${name} allows ${cand.pathLen} intermediate(s) below it, found ${below}`;
  }
  if (verifiedBy.get(child)?.has(cand)) return undefined;
  let ok: boolean;
  try {
    ok = verifySignatureByOid(child.signatureAlgorithmOid, cand.spki, child.tbs, child.signature);
  } catch (e) {
    return `cannot verify the signature on "${describeName(child.subject)}": ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!ok) return `signature of certificate ${serialHex(child)} does not verify with the key of ${name}`;
  let set = verifiedBy.get(child);
  if (set === undefined) verifiedBy.set(child, (set = new WeakSet()));
  set.add(cand);
  return undefined;
}

/**
 * Signatures already verified, by child then issuer object. A verifier that keeps its parsed
 * intermediates and roots checks each CA-to-CA signature once instead of on every leaf (an
 * ECDSA P-384 verification costs ~0.9 ms). Parsed certificates are treated as immutable.
 */
const verifiedBy = new WeakMap<ParsedCertificate, WeakSet<ParsedCertificate>>();

function validityProblem(cert: ParsedCertificate, at: Date, what: string): string | undefined {
  const t = at.getTime();
  if (t < cert.notBefore.getTime()) return `${what} certificate is not valid before ${cert.notBefore.toISOString()}`;
  if (t > cert.notAfter.getTime()) return `${what} certificate expired at ${cert.notAfter.toISOString()}`;
  return undefined;
}

function criticalProblem(cert: ParsedCertificate, allowPoison: boolean, what: string): string | undefined {
  for (const e of cert.extensions) {
    if (!e.critical || HANDLED_CRITICAL.has(e.oid)) continue;
    if (allowPoison && e.oid === CT_OIDS.poison) continue;
    return `${what} certificate has an unhandled critical extension ${e.oid}`;
  }
  return undefined;
}

function serialHex(cert: ParsedCertificate): string {
  return cert.serial.toString(16);
}

function sameCert(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return a === b || bytesEqual(a.der, b.der);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
