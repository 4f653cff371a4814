// The FLOOR of a benchmark: only the per-request cryptography, in a loop, in N processes at once on
// the same cores. Run by `runFloor` (lib/floor-run.ts) as `floor.ts <kind> <seconds>` with an IPC
// channel: the worker prepares its material, says "ready", waits for "go", measures, reports.
//   tlog   certificate PEM parse + P-256 signature verify over the digest + SET sign (P-256)
//   ca     one ECDSA P-384 signature over a ~700-byte TBSCertificate
//   ca-ct  two P-384 signatures (precertificate, certificate) + the CT log's P-384 verification of
//          the precertificate (RFC 6962: the log checks the chain) + one P-256 SCT signature + the
//          CA's P-256 verification of that SCT
import { createHash, randomBytes, sign } from 'node:crypto';
import { EphemeralSigner, parseCertificate, parsePublicKey, pemDecodeAll, verifyDigest, verifyMessage } from '@signet/pki';
import { setPayload } from '@signet/tlog';
import { makeCa, makeClients } from './lib/fixtures.js';

const [kind, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? '3');

async function prepare(): Promise<() => Promise<void> | void> {
  if (kind === 'tlog') {
    const clients = await makeClients(await makeCa(), 64);
    const setSigner = EphemeralSigner.generate('ecdsa-p256-sha256');
    const entries = Array.from({ length: 4096 }, (_, i) => {
      const c = clients[i % clients.length]!;
      const artifact = randomBytes(64);
      return {
        pem: c.certPem,
        digest: new Uint8Array(createHash('sha256').update(artifact).digest()),
        sig: new Uint8Array(sign('sha256', artifact, c.key)),
        body: randomBytes(1400).toString('base64'),
      };
    });
    const logID = createHash('sha256').update(setSigner.publicKeyDer).digest('hex');
    let i = 0;
    return async () => {
      const e = entries[i++ % entries.length]!;
      const cert = parseCertificate(pemDecodeAll(e.pem)[0]!.der);
      const key = parsePublicKey(cert.spki);
      if (!verifyDigest(key, 'sha256', e.digest, e.sig)) throw new Error('floor: signature does not verify');
      await setSigner.sign(setPayload({ body: e.body, integratedTime: 1_800_000_000, logID, logIndex: i }));
    };
  }
  // The same signers and verifier the services use (the native addon when it is built).
  const caSigner = EphemeralSigner.generate('ecdsa-p384-sha384');
  const caKey = parsePublicKey(caSigner.publicKeyDer);
  const ctSigner = EphemeralSigner.generate('ecdsa-p256-sha256');
  const ctKey = parsePublicKey(ctSigner.publicKeyDer);
  const tbs = randomBytes(700);
  const sctInput = randomBytes(900);
  if (kind === 'ca') return async () => void (await caSigner.sign(tbs));
  if (kind === 'ca-ct') {
    return async () => {
      const precertSig = await caSigner.sign(tbs);
      if (!verifyMessage(caKey, 'sha384', tbs, precertSig)) throw new Error('floor: P-384 verify failed');
      const sct = await ctSigner.sign(sctInput);
      if (!verifyMessage(ctKey, 'sha256', sctInput, sct)) throw new Error('floor: P-256 verify failed');
      await caSigner.sign(tbs);
    };
  }
  throw new Error(`unknown floor kind ${kind}`);
}

const op = await prepare();
for (let i = 0; i < 200; i++) await op(); // warm-up
process.send!('ready');
await new Promise<void>((resolve) => process.once('message', () => resolve()));
const c0 = process.cpuUsage();
const t0 = performance.now();
const end = t0 + seconds * 1000;
let ops = 0;
while (performance.now() < end) {
  for (let k = 0; k < 16; k++) await op();
  ops += 16;
}
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
process.send!({ ops, seconds: elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
process.disconnect();
