// Test fixtures of the CT personality: a root → intermediate CA like the Signet CA's, precertificates
// and final certificates issued the way the CA issues them, and a tlog app with both personalities
// on one real store. Tests only.
import { createHash } from 'node:crypto';
import {
  EphemeralSigner,
  type CertificateTemplate,
  type IssuerInfo,
  type Signer,
  SIGSTORE_OIDS,
  createIntermediateCa,
  createRootCa,
  encodeName,
  issueCertificate,
  issuerInfoFromCertificate,
  keyIdentifier,
  leafTemplate,
  pemEncode,
} from '@signet/pki';
import type { LogStore } from '@signet/storage';
import type { TestDriver } from '@signet/storage/testonly';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { Log } from '../../log/index.js';
import { defaultTreeId } from '../../rekor/entry-id.js';
import { RekorLog } from '../../rekor/rekor-log.js';
import { setAtSequencing } from '../../rekor/set.js';
import { registerCt } from '../http/routes.js';
import { openCtPersonality, type CtPersonality } from '../personality.js';

/** A two-level CA. */
export interface TestCa {
  rootDer: Uint8Array;
  intermediateDer: Uint8Array;
  /** Intermediate then root, as the CA's chain file. */
  chainPem: string;
  /** The intermediate, which issues leaves. */
  issuer: IssuerInfo;
}

let serial = 100n;

/** A root and an intermediate valid from an hour before `now` for `days` days. */
export async function createTestCa(now: Date, label = 'test', days = 365): Promise<TestCa> {
  const notBefore = new Date(now.getTime() - 3_600_000);
  const validitySeconds = days * 86_400;
  const rootSigner = EphemeralSigner.generate('ecdsa-p384-sha384');
  const rootDer = await createRootCa({ signer: rootSigner, subject: { commonName: `${label}-root` }, notBefore, validitySeconds, serial: serial++ });
  const interSigner = EphemeralSigner.generate('ecdsa-p384-sha384');
  const intermediateDer = await createIntermediateCa({
    signer: interSigner,
    issuer: issuerInfoFromCertificate(rootDer, rootSigner),
    subject: { commonName: `${label}-intermediate` },
    notBefore,
    validitySeconds,
    serial: serial++,
  });
  return {
    rootDer,
    intermediateDer,
    chainPem: pemEncode('CERTIFICATE', intermediateDer) + pemEncode('CERTIFICATE', rootDer),
    issuer: issuerInfoFromCertificate(intermediateDer, interSigner),
  };
}

/** A Fulcio-style leaf template for a fresh key, valid for 10 minutes from `now`. */
export function testLeafTemplate(ca: TestCa, now: Date, email = 'alice@example.com'): CertificateTemplate {
  const key = EphemeralSigner.generate('ecdsa-p256-sha256');
  return leafTemplate(
    {
      subjectAltName: { type: 'email', value: email },
      sigstoreExtensions: [{ oid: SIGSTORE_OIDS.Issuer, value: 'https://issuer.example.com' }],
      publicKeySpki: key.publicKeyDer,
      notBefore: now,
      serial: serial++,
    },
    ca.issuer,
  );
}

/** The precertificate (critical poison) of `template`, signed by the intermediate. */
export function issuePrecert(ca: TestCa, template: CertificateTemplate): Promise<Uint8Array> {
  return issueCertificate(template, ca.issuer, { precertificate: true });
}

/** A self-signed CA unrelated to any test CA, for "unknown root" cases. */
export async function strangerRoot(now: Date): Promise<{ der: Uint8Array; issuer: IssuerInfo }> {
  const signer: Signer = EphemeralSigner.generate('ecdsa-p256-sha256');
  const der = await createRootCa({ signer, subject: { commonName: 'stranger' }, notBefore: new Date(now.getTime() - 60_000), validitySeconds: 86_400, serial: serial++ });
  return { der, issuer: { subjectDer: encodeName({ commonName: 'stranger' }), ski: keyIdentifier(signer.publicKeyDer), signer } };
}

/** A tlog app with the Rekor log and the CT log on one store. */
export interface TestCtApp {
  app: FastifyInstance;
  ct: CtPersonality;
  ctSigner: Signer;
  rekor: RekorLog;
  rekorEngine: Log;
  store: LogStore;
}

/**
 * Opens `driver`'s fresh store, a Rekor log ('rekor') and a CT log ('ct') accepting `rootsPem`, and
 * the app with both personalities (CT under `/ct`). Teardown is registered with `onCleanup`.
 */
export async function startTestCtApp(
  onCleanup: (fn: () => Promise<void>) => void,
  driver: TestDriver,
  opts: { rootsPem: string; now: () => number; ctSigner?: Signer; store?: LogStore; origin?: string },
): Promise<TestCtApp> {
  const store = opts.store ?? (await driver.open());
  const rekorSigner = EphemeralSigner.generate('ecdsa-p256-sha256');
  const logId = new Uint8Array(createHash('sha256').update(rekorSigner.publicKeyDer).digest());
  const treeId = defaultTreeId(logId);
  const rekorEngine = await Log.open({ name: 'rekor', store, signer: rekorSigner, origin: `localhost - ${treeId}`, noteKeyName: 'localhost', noteKeyId: logId.slice(0, 4), now: opts.now, maxAgeMs: 1, extraAtSequencing: setAtSequencing(rekorSigner, logId) });
  const rekor = new RekorLog({ engine: rekorEngine, signer: rekorSigner, treeId });
  const ctSigner = opts.ctSigner ?? EphemeralSigner.generate('ecdsa-p256-sha256');
  const ct = await openCtPersonality({ store, signer: ctSigner, rootsPem: opts.rootsPem, origin: opts.origin ?? 'localhost/ct', now: opts.now, maxAgeMs: 1 });
  const app = buildApp({ rekor, engine: rekorEngine, maxBodyBytes: 1 << 20 });
  registerCt(app, ct.log);
  await app.ready();
  onCleanup(async () => {
    await app.close();
    await ct.close();
    await rekorEngine.close();
    if (opts.store === undefined) await store.close();
  });
  return { app, ct, ctSigner, rekor, rekorEngine, store };
}
