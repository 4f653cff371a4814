// Request generators for the tlog's edge fuzz tests: valid seed bodies built from FIXED keys and
// dates (Ed25519, PKCS#1 RSA and a chosen-nonce ECDSA signature are all deterministic, so a seed
// gives the same bytes on every run), and per-route makers that mutate them into hostile requests
// with the mutators of @signet/pki/testonly. Tests only.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createIntermediateCa, createRootCa, EphemeralSigner, issueCertificate, issuerInfoFromCertificate, leafTemplate, pemEncode, SIGSTORE_OIDS } from '@signet/pki';
import { fixedEd25519Key, fixedNonceP256Sign, fixedP256Key, mutateJson, mutateJsonText, mutateSigned, mutateString, percentEncode, rsaTestKey, type FuzzRequest, type Rng } from '@signet/pki/testonly';
import { dsse, dsseEnvelope, hashedrekord, inTotoStatement, intoto, type ClientKey } from './fixtures.js';

/** A client key over a fixed private key. */
function clientKeyOf(privateKey: KeyObject): ClientKey {
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  return { privateKey, publicKeyPem: pemEncode('PUBLIC KEY', spki), spki };
}

/** The fixed Ed25519 client key of seed byte `byte`. */
const fixedEd25519 = (byte: number): ClientKey => clientKeyOf(fixedEd25519Key(byte));

/** The fixed P-256 client key with its scalar. */
function fixedP256(): ClientKey & { d: bigint } {
  const { privateKey, d } = fixedP256Key();
  return { ...clientKeyOf(privateKey), d };
}

/** A hashedrekord 0.0.1 over `artifact` signed by the fixed P-256 key with a fixed nonce. */
function hashedrekordP256(key: ClientKey & { d: bigint }, artifact: Uint8Array, verifierPem: string) {
  const entry = hashedrekord(key, artifact, { verifierPem }).proposed;
  entry.spec.signature.content = Buffer.from(fixedNonceP256Sign(key.d, createHash('sha256').update(artifact).digest())).toString('base64');
  return entry;
}

const NOT_BEFORE = new Date('2026-01-05T10:00:00Z');

/** A fixed two-level CA (RSA root, Ed25519 intermediate) issuing leaves with fixed bytes. */
export interface FixedCa {
  rootDer: Uint8Array;
  intermediateDer: Uint8Array;
  /** The intermediate's signer (to sign mutated certificates again). */
  intermediateSigner: EphemeralSigner;
  /** Intermediate then root, as the CT log's roots file. */
  rootsPem: string;
  /** A time inside every validity window (Unix ms). */
  now: number;
  /** A leaf for `spki` with an email SAN and `serial`; a CT precertificate when `precertificate`. */
  issueLeaf(spki: Uint8Array, serial: bigint, precertificate?: boolean): Promise<Uint8Array>;
}

/** The FixedCa, byte-identical on every run. */
export async function fixedCa(): Promise<FixedCa> {
  const rootSigner = new EphemeralSigner(rsaTestKey(2048));
  const interSigner = new EphemeralSigner(fixedEd25519Key(0x33));
  const notBefore = new Date(NOT_BEFORE.getTime() - 3_600_000);
  const validitySeconds = 86_400 * 3650;
  const rootDer = await createRootCa({ signer: rootSigner, subject: { commonName: 'fuzz-root' }, notBefore, validitySeconds, serial: 10n });
  const intermediateDer = await createIntermediateCa({
    signer: interSigner,
    issuer: issuerInfoFromCertificate(rootDer, rootSigner),
    subject: { commonName: 'fuzz-intermediate' },
    notBefore,
    validitySeconds,
    serial: 11n,
  });
  const issuer = issuerInfoFromCertificate(intermediateDer, interSigner);
  const issueLeaf = (publicKeySpki: Uint8Array, serial: bigint, precertificate = false) => {
    const sigstoreExtensions = [{ oid: SIGSTORE_OIDS.Issuer, value: 'https://issuer.example.com' }];
    const template = leafTemplate({ subjectAltName: { type: 'email', value: 'fuzz@example.com' }, sigstoreExtensions, publicKeySpki, notBefore: NOT_BEFORE, serial }, issuer);
    return issueCertificate(template, issuer, { precertificate });
  };
  return {
    rootDer,
    intermediateDer,
    intermediateSigner: interSigner,
    rootsPem: pemEncode('CERTIFICATE', intermediateDer) + pemEncode('CERTIFICATE', rootDer),
    now: NOT_BEFORE.getTime() + 60_000,
    issueLeaf,
  };
}

/** Valid seed entries, and hostile entries that still carry valid signatures. */
export interface RekorSeeds {
  /** Valid ProposedEntries of every kind, byte-identical on every run. */
  entries: object[];
  /**
   * An entry whose signed content is mutated and then signed again (an in-toto statement or any
   * payload of a DSSE or intoto entry; the leaf certificate of a hashedrekord or DSSE verifier,
   * re-signed by its CA), so that the mutation reaches what runs after signature verification:
   * SAN extraction, search keys, storage.
   */
  resigned(rng: Rng): Promise<object>;
}

/** The seeds of the Rekor fuzz tests. */
export async function rekorSeeds(): Promise<RekorSeeds> {
  const ed = fixedEd25519(0x11);
  const ed2 = fixedEd25519(0x22);
  const rsa = clientKeyOf(rsaTestKey(2048));
  const ec = fixedP256();
  const ca = await fixedCa();
  const pem = (der: Uint8Array) => pemEncode('CERTIFICATE', der);
  const ecLeaf = await ca.issueLeaf(ec.spki, 2n);
  const edLeaf = await ca.issueLeaf(ed.spki, 3n);
  const statement = inTotoStatement('ab'.repeat(32));
  const entries = [
    hashedrekord(rsa, Buffer.from('fuzz rsa')).proposed,
    hashedrekord(ed, Buffer.from('fuzz ed25519ph'), { hash: 'sha512' }).proposed,
    hashedrekordP256(ec, Buffer.from('fuzz ec key'), ec.publicKeyPem),
    hashedrekordP256(ec, Buffer.from('fuzz ec chain'), pem(ecLeaf) + pem(ca.intermediateDer) + pem(ca.rootDer)),
    hashedrekordP256(ec, Buffer.from('fuzz ec leaf'), pem(ecLeaf)),
    dsse(dsseEnvelope([ed, rsa], statement), [ed.publicKeyPem, rsa.publicKeyPem]),
    dsse(dsseEnvelope([ed], Buffer.from('not json at all'), 'text/plain'), [pem(edLeaf)]),
    intoto([ed, ed2], statement),
  ];
  const statementText = Buffer.from(statement).toString('utf8');
  const mutatedPayload = (rng: Rng): Uint8Array =>
    rng.chance(0.7) ? Buffer.from(JSON.stringify(mutateJson(JSON.parse(statementText), rng)) ?? 'null') : mutateJsonText(statementText, rng);
  const payloadType = (rng: Rng) => (rng.chance(0.8) ? 'application/vnd.in-toto+json' : mutateString('application/vnd.in-toto+json', rng));
  const resignLeaf = (der: Uint8Array, rng: Rng) => mutateSigned(der, rng, (tbs) => ca.intermediateSigner.sign(tbs));
  const resigned = async (rng: Rng): Promise<object> => {
    switch (rng.int(4)) {
      case 0:
        return dsse(dsseEnvelope([ed], mutatedPayload(rng), payloadType(rng)), [ed.publicKeyPem]);
      case 1:
        return intoto([ed], mutatedPayload(rng), payloadType(rng));
      case 2: {
        const leaf = pem(await resignLeaf(ecLeaf, rng));
        return hashedrekordP256(ec, Buffer.from('fuzz resigned'), rng.chance(0.5) ? leaf : leaf + pem(ca.intermediateDer) + pem(ca.rootDer));
      }
      default:
        return dsse(dsseEnvelope([ed], statement), [pem(await resignLeaf(edLeaf, rng))]);
    }
  };
  return { entries, resigned };
}

/** The P-256 public key the CT fuzz test's leaves certify. */
export const fixedP256Spki = (): Uint8Array => fixedP256().spki;

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/*',
  '',
];

/** A JSON POST of `body` (object → JSON text; a Buffer or text as is) with an optional content type. */
export function jsonPost(url: string, body: unknown, contentType = 'application/json'): FuzzRequest {
  const payload = Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : JSON.stringify(body);
  return { method: 'POST', url, payload, headers: { 'content-type': contentType } };
}

/**
 * A hostile POST derived from `seed`: mostly one to three structure-aware mutations of its JSON,
 * otherwise damaged JSON text, a wrong content type, or a body that is JSON but no object.
 */
export function mutatedPost(url: string, seed: unknown, rng: Rng): FuzzRequest {
  const r = rng.next();
  if (r < 0.72) {
    let body = mutateJson(seed, rng);
    for (let n = rng.int(3); n > 0; n--) body = mutateJson(body, rng);
    return jsonPost(url, JSON.stringify(body) ?? 'null');
  }
  if (r < 0.87) return jsonPost(url, mutateJsonText(JSON.stringify(seed), rng));
  if (r < 0.95) return jsonPost(url, JSON.stringify(seed), rng.pick(CONTENT_TYPES));
  return { method: rng.pick(['POST', 'PUT'] as const), url, ...(rng.chance(0.5) ? { payload: '' } : {}) };
}

/** Query-parameter values that are wrong for an index, a size or a hash. */
export const QUERY_VALUES = [
  '0', '1', '2', '-1', '-0', '+1', ' 1', '1 ', '1.5', '1e3', '1e400', '0x10', '010', 'abc', '', 'null', 'true', 'Infinity', '-Infinity', 'NaN',
  '9007199254740991', '9007199254740992', '9223372036854775807', '9223372036854775808', '18446744073709551616', '1'.repeat(40),
  '%00', '%ff', '%', '%zz', '1%00', '[]', '1,2', 'x'.repeat(900),
];

/** A query string over `names` with hostile values, repeated and missing parameters. */
export function fuzzQuery(names: readonly string[], rng: Rng, values: readonly string[] = QUERY_VALUES): string {
  const parts: string[] = [];
  for (const name of names) {
    if (rng.chance(0.15)) continue;
    const n = rng.chance(0.1) ? 2 : 1;
    for (let i = 0; i < n; i++) parts.push(`${rng.chance(0.05) ? `${name}[]` : name}=${rng.pick(values)}`);
  }
  if (rng.chance(0.1)) parts.push(`${rng.pick(['extra', 'treeID', '__proto__'])}=${rng.pick(values)}`);
  return parts.join('&');
}

/** An entry ID (64 or 80 hex) damaged: length, case, characters, tree-ID prefix, escapes. */
export function fuzzEntryId(entryId: string, rng: Rng): string {
  const uuid = entryId.slice(16);
  return rng.pick<() => string>([
    () => entryId,
    () => uuid,
    () => entryId.toUpperCase(),
    () => entryId.slice(0, 1 + rng.int(entryId.length - 1)),
    () => entryId + rng.pick(['0', 'ff', 'g', '/', '?', '%2F', '%00', '.json']),
    () => '0'.repeat(16) + uuid,
    () => 'f'.repeat(16) + uuid,
    () => '7fffffffffffffff' + uuid,
    () => '8000000000000000' + uuid,
    () => '0000000000000001' + uuid,
    () => 'z'.repeat(64),
    () => '-'.repeat(80),
    () => '0'.repeat(rng.pick([63, 65, 79, 81, 96, 128])),
    () => percentEncode(mutateString(uuid, rng)),
    () => 'a'.repeat(rng.pick([200, 5000])),
    () => '%E0%A4%A',
    () => '%C3%28',
    () => '..%2F..%2Fapi%2Fv1%2Flog',
    () => ' ',
  ])();
}

/** A tile path (after `tile/`) that is valid, nearly valid or absurd. */
export function fuzzTilePath(rng: Rng, dataName = 'entries'): string {
  const level = rng.pick(['0', '1', '2', '63', '64', '-1', '00', '01', '1000', 'x', '', dataName, 'entries', 'data']);
  const index = rng.pick([
    '000', '001', '255', 'x001/000', 'x000/000', 'x999/x999/x999/x999/x999/x999/999', 'x018/x446/x744/x073/x709/x551/616',
    'x018/x446/x744/x073/x709/x551/615', '1', '0000', '00', 'x01/000', 'x001', '000/000', '-01', 'abc', '', 'x'.repeat(120), '999',
  ]);
  const width = rng.pick(['', '', '.p/1', '.p/255', '.p/256', '.p/0', '.p/', '.p/01', '.p/1.p/2', '.p/x', '.p/-1', '.p/99999']);
  return rng.chance(0.1) ? percentEncode(`${level}/${index}${width}`) : `${level}/${index}${width}`;
}
