// Key backends at start: ephemeral, file (encrypted PKCS#8 + chain, validated) and pkcs11 (SoftHSM2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EphemeralSigner,
  type IssuerInfo,
  type Signer,
  caTemplate,
  createIntermediateCa,
  createRootCa,
  encodeName,
  generatePrivateKeyPem,
  issueCertificate,
  issuerInfoFromCertificate,
  leafTemplate,
  pemEncode,
  randomSerial,
} from '@signet/pki';
import { createSoftHsm, generateTokenKey, softhsmUnavailableReason } from '@signet/pki/testonly';
import { type Authority, authorityFromEphemeral, createEphemeralCa, openAuthority } from './authority.js';
import { createCa } from './ca.js';
import { assertRejectsCa } from './identity/testonly/assert-code.js';
import { KEY_TYPES, opensslVerify, popSign, publicPem } from './http/testonly/harness.js';

const now = new Date();
const YEAR = 365 * 86_400;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-ca-authority-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function makeRoot(): Promise<{ der: Uint8Array; info: IssuerInfo }> {
  const signer = EphemeralSigner.generate('ecdsa-p384-sha384');
  const der = await createRootCa({ signer, subject: { commonName: 'Test root' }, notBefore: new Date(now.getTime() - 60_000), validitySeconds: YEAR, serial: randomSerial() });
  return { der, info: issuerInfoFromCertificate(der, signer) };
}

async function intermediateFor(signer: Signer, root: IssuerInfo, validitySeconds = YEAR): Promise<Uint8Array> {
  return createIntermediateCa({ signer, issuer: root, subject: { commonName: 'Test intermediate' }, notBefore: new Date(now.getTime() - 60_000), validitySeconds, serial: randomSerial() });
}

function writeChain(name: string, ders: Uint8Array[]): string {
  const path = join(dir, name);
  writeFileSync(path, ders.map((d) => pemEncode('CERTIFICATE', d)).join(''));
  return path;
}

/** Issues one certificate with `authority` and checks it with openssl. */
async function issuesVerifiableCertificate(authority: Authority): Promise<void> {
  const ca = createCa({ issuer: authority.issuer, chainDer: authority.chainDer, validitySeconds: 600, now: () => new Date() });
  const key = KEY_TYPES['ECDSA P-256']!();
  const issued = await ca.issue({
    principal: { challenge: 'ops@example.com', subjectAltName: { type: 'email', value: 'ops@example.com' }, sigstoreExtensions: [{ oid: '1.3.6.1.4.1.57264.1.8', value: 'https://idp.example.com' }] },
    publicKey: publicPem(key),
    proof: Buffer.from(popSign(key, 'ops@example.com'), 'base64'),
  });
  assert.match(opensslVerify(issued.chainDer.map((d) => pemEncode('CERTIFICATE', d).trim())), /OK/);
}

describe('ephemeral backend', () => {
  it('makes a P-384 root and intermediate (CA, pathLen 0, EKU codeSigning) and signs with the intermediate', async () => {
    const material = await createEphemeralCa(now);
    const authority = authorityFromEphemeral(material);
    const [intermediate, root] = authority.chainDer.map((d) => new X509Certificate(d));
    assert.ok(intermediate!.ca && root!.ca);
    assert.ok(intermediate!.checkIssued(root!) && intermediate!.verify(root!.publicKey));
    assert.equal(intermediate!.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
    assert.equal(authority.issuer.signer.algorithm, 'ecdsa-p384-sha384');
    assert.ok(createPrivateKey(material.keyPem), 'the hand-off key is a PKCS#8 PEM');
    await issuesVerifiableCertificate(authority);
    await authority.close();
  });

  it('openAuthority({kind: ephemeral}) makes a fresh CA each time', async () => {
    const a = await openAuthority({ kind: 'ephemeral' }, now);
    const b = await openAuthority({ kind: 'ephemeral' }, now);
    assert.notDeepEqual(a.chainDer[1], b.chainDer[1]);
    await a.close();
    await b.close();
  });
});

describe('file backend', () => {
  it('opens an encrypted PKCS#8 key with its chain and issues verifiable certificates', async () => {
    const root = await makeRoot();
    const keyPem = generatePrivateKeyPem('ecdsa-p384-sha384', 'correct horse');
    writeFileSync(join(dir, 'ca-key.pem'), keyPem);
    const inter = await intermediateFor(new EphemeralSigner(createPrivateKey({ key: keyPem, passphrase: 'correct horse' })), root.info);
    const chainPath = writeChain('chain.pem', [inter, root.der]);
    const authority = await openAuthority({ kind: 'file', keyPath: join(dir, 'ca-key.pem'), password: 'correct horse', chainPath }, now);
    assert.equal(authority.chainDer.length, 2);
    await issuesVerifiableCertificate(authority);
    await authority.close();
  });

  it('a root alone may be the issuing CA (no EKU needed without intermediates)', async () => {
    const keyPem = generatePrivateKeyPem('ecdsa-p256-sha256');
    writeFileSync(join(dir, 'root-key.pem'), keyPem);
    const signer = new EphemeralSigner(createPrivateKey(keyPem));
    const root = await createRootCa({ signer, subject: { commonName: 'Lone root' }, notBefore: new Date(now.getTime() - 60_000), validitySeconds: YEAR, serial: randomSerial() });
    const authority = await openAuthority({ kind: 'file', keyPath: join(dir, 'root-key.pem'), chainPath: writeChain('lone.pem', [root]) }, now);
    await issuesVerifiableCertificate(authority);
    await authority.close();
  });

  describe('refuses a bad setup with BAD_CONFIG naming the problem', async () => {
    const root = await makeRoot();
    const keyPem = generatePrivateKeyPem('ecdsa-p384-sha384', 'pw');
    const signer = new EphemeralSigner(createPrivateKey({ key: keyPem, passphrase: 'pw' }));
    const good = await intermediateFor(signer, root.info);

    const cases: [string, () => Promise<{ chain: Uint8Array[]; password?: string; at?: Date }>, RegExp][] = [
      ['wrong password', async () => ({ chain: [good, root.der], password: 'nope' }), /password/],
      [
        'key does not match the first certificate',
        async () => ({ chain: [await intermediateFor(EphemeralSigner.generate('ecdsa-p384-sha384'), root.info), root.der] }),
        /does not match/,
      ],
      [
        'first certificate is not a CA',
        async () => {
          const t = leafTemplate({ subjectAltName: { type: 'email', value: 'x@y.z' }, sigstoreExtensions: [], publicKeySpki: signer.publicKeyDer, notBefore: now, validitySeconds: YEAR, serial: randomSerial() }, root.info);
          return { chain: [await issueCertificate(t, root.info), root.der] };
        },
        /not a CA/,
      ],
      [
        'intermediate without EKU codeSigning',
        async () => {
          const t = caTemplate({ subjectDer: encodeName({ commonName: 'No EKU' }), publicKeySpki: signer.publicKeyDer, notBefore: new Date(now.getTime() - 60_000), validitySeconds: YEAR, serial: randomSerial(), pathLen: 0, codeSigning: false, authorityKeyId: root.info.ski });
          return { chain: [await issueCertificate(t, root.info), root.der] };
        },
        /codeSigning/,
      ],
      ['chain not signed by the next certificate', async () => ({ chain: [good, (await makeRoot()).der] }), /not signed by|self-signed/],
      ['chain missing its root', async () => ({ chain: [good] }), /self-signed root/],
      ['chain expired', async () => ({ chain: [good, root.der], at: new Date(now.getTime() + 2 * YEAR * 1000) }), /not valid now/],
    ];
    for (const [name, make, pattern] of cases) {
      it(name, async () => {
        const { chain, password, at } = await make();
        const keyPath = join(dir, `${name.replace(/\W+/g, '-')}.key`);
        writeFileSync(keyPath, keyPem);
        const chainPath = writeChain(`${name.replace(/\W+/g, '-')}.pem`, chain);
        const err = await assertRejectsCa(openAuthority({ kind: 'file', keyPath, chainPath, password: password ?? 'pw' }, at ?? now), 'BAD_CONFIG');
        assert.match(err.message, pattern);
      });
    }

    it('missing chain file', async () => {
      const err = await assertRejectsCa(openAuthority({ kind: 'file', keyPath: join(dir, 'x.key'), chainPath: join(dir, 'absent.pem') }, now), 'BAD_CONFIG');
      assert.match(err.message, /chain file/);
    });

    it('chain file without certificates', async () => {
      writeFileSync(join(dir, 'empty.pem'), 'nothing here\n');
      await assertRejectsCa(openAuthority({ kind: 'file', keyPath: join(dir, 'x.key'), chainPath: join(dir, 'empty.pem') }, now), 'BAD_CONFIG');
    });
  });
});

describe('pkcs11 backend (SoftHSM2)', { skip: softhsmUnavailableReason() }, () => {
  it('signs with a non-extractable P-384 key inside the token, chain from a file', async () => {
    const hsm = createSoftHsm();
    try {
      hsm.initToken('signet-ca', '1234');
      await generateTokenKey(hsm.module, 'signet-ca', '1234', 'P-384', 'ca-key', '01');
      const key = { kind: 'pkcs11' as const, module: hsm.module, pin: '1234', tokenLabel: 'signet-ca', keyLabel: 'ca-key' };
      // The intermediate certificate is made for the HSM's public key (read through a chain-less open).
      const { openSigner } = await import('@signet/pki');
      const probe = await openSigner(key);
      const root = await makeRoot();
      const inter = await intermediateFor(probe, root.info);
      await probe.close();
      const authority = await openAuthority({ ...key, chainPath: writeChain('hsm-chain.pem', [inter, root.der]) }, now);
      await issuesVerifiableCertificate(authority);
      await authority.close();
      const wrongPin = await assertRejectsCa(openAuthority({ ...key, pin: '0000', chainPath: join(dir, 'hsm-chain.pem') }, now), 'BAD_CONFIG');
      assert.match(wrongPin.message, /pkcs11/);
    } finally {
      hsm.dispose();
    }
  });
});
