// Micro-benchmark of the verification paths (run: npx tsx packages/pki/src/verify.bench.ts).
// Reports µs per operation, single thread, for parsePublicKey, keyObjectFor, verifyMessage and
// verifyDigest with a NEW key each time (the CA and the log see a fresh key per request) and with
// a cached key; node's own verify is listed as the reference. A few seconds; not part of npm test.
import { constants, createPublicKey, generateKeyPairSync, hash, type KeyObject, sign, verify } from 'node:crypto';
import { parsePublicKey } from './public-key.js';
import { ed25519ReferenceSign, ed25519SeedOf } from './testonly/ed25519-reference.js';
import { rsaTestKey } from './testonly/fixtures.js';
import { type HashAlgorithm, keyObjectFor, verifyDigest, verifyMessage } from './index.js';

function bench(name: string, fn: (i: number) => unknown, ms = 500): void {
  for (let i = 0; i < 20; i++) fn(i);
  let n = 0;
  const start = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < ms) fn(n++);
  const cpu = process.cpuUsage(start);
  console.log(`${name.padEnd(58)} ${((cpu.user + cpu.system) / n).toFixed(1).padStart(8)} µs/op`);
}

interface Fixture { label: string; hash: HashAlgorithm; keys: { spki: Uint8Array; sig: Buffer }[] }
const message = new TextEncoder().encode('x'.repeat(200));

function fixture(label: string, h: HashAlgorithm, make: () => KeyObject, count: number): Fixture {
  const keys = [];
  for (let i = 0; i < count; i++) {
    const priv = make();
    const opts = priv.asymmetricKeyType === 'rsa' ? { key: priv, padding: constants.RSA_PKCS1_PADDING } : { key: priv, dsaEncoding: 'der' as const };
    const sig = sign(priv.asymmetricKeyType === 'ed25519' ? null : h, message, opts);
    keys.push({ spki: new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' })), sig });
  }
  return { label, hash: h, keys };
}

const ec = (curve: string) => () => generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
const fixtures = [
  fixture('ecdsa-p256', 'sha256', ec('P-256'), 200),
  fixture('ecdsa-p384', 'sha384', ec('P-384'), 20),
  fixture('ecdsa-p521', 'sha512', ec('P-521'), 10),
  fixture('ed25519', 'sha256', () => generateKeyPairSync('ed25519').privateKey, 200),
  fixture('rsa-2048', 'sha256', () => rsaTestKey(2048), 1),
  fixture('rsa-4096', 'sha256', () => rsaTestKey(4096), 1),
];

for (const f of fixtures) {
  const digest = hash(f.hash, message, 'buffer');
  const pick = (i: number) => f.keys[i % f.keys.length]!;
  const cached = f.keys.map((k) => parsePublicKey(k.spki));
  bench(`${f.label}: parsePublicKey`, (i) => parsePublicKey(pick(i).spki));
  bench(`${f.label}: node createPublicKey(DER) [reference]`, (i) => createPublicKey({ key: Buffer.from(pick(i).spki), format: 'der', type: 'spki' }));
  bench(`${f.label}: parse + keyObjectFor (new key)`, (i) => keyObjectFor(parsePublicKey(pick(i).spki)));
  bench(`${f.label}: parse + verifyMessage (new key)`, (i) => verifyMessage(parsePublicKey(pick(i).spki), f.hash, message, pick(i).sig));
  bench(`${f.label}: verifyMessage (cached key)`, (i) => verifyMessage(cached[i % cached.length]!, f.hash, message, pick(i).sig));
  if (f.label !== 'ed25519') {
    bench(`${f.label}: parse + verifyDigest (new key)`, (i) => verifyDigest(parsePublicKey(pick(i).spki), f.hash, digest, pick(i).sig));
    bench(`${f.label}: verifyDigest (cached key)`, (i) => verifyDigest(cached[i % cached.length]!, f.hash, digest, pick(i).sig));
    bench(`${f.label}: parse + hash + verifyDigest (new key)`, (i) => verifyDigest(parsePublicKey(pick(i).spki), f.hash, hash(f.hash, message, 'buffer'), pick(i).sig));
  }
  const ko = createPublicKey({ key: Buffer.from(f.keys[0]!.spki), format: 'der', type: 'spki' });
  const opts = f.label.startsWith('rsa') ? { key: ko, padding: constants.RSA_PKCS1_PADDING } : { key: ko, dsaEncoding: 'der' as const };
  bench(`${f.label}: node verify, KeyObject given [reference]`, () => verify(f.label === 'ed25519' ? null : f.hash, message, opts, f.keys[0]!.sig));
}

// Ed25519ph over a SHA-512 digest (hashedrekord with an Ed25519 key): our own bigint arithmetic,
// as node:crypto has no Ed25519ph; pure Ed25519 above is the natural reference.
{
  const digest = hash('sha512', message, 'buffer');
  const keys = Array.from({ length: 20 }, () => {
    const priv = generateKeyPairSync('ed25519').privateKey;
    const spki = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }));
    return { spki, sig: ed25519ReferenceSign(ed25519SeedOf(priv), digest, 'ph') };
  });
  bench('ed25519ph: parse + verifyDigest (new key)', (i) => verifyDigest(parsePublicKey(keys[i % keys.length]!.spki), 'sha512', digest, keys[i % keys.length]!.sig), 2000);
}
