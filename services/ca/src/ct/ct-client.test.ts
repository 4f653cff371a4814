// The CT path end to end: precertificate → test RFC 6962 log → final certificate with the SCT
// embedded; the SCT is re-verified from the final certificate with code independent of the CA.
// CT failures must give a 5xx naming the CT problem and issue nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash, createPublicKey, verify } from 'node:crypto';
import { pemDecode } from '@signet/pki';
import { assertRejectsCa } from '../identity/testonly/assert-code.js';
import { type Harness, KEY_TYPES, opensslVerify, startHarness, v2KeyBody } from '../http/testonly/harness.js';
import { createHttpCtClient } from './ct-client.js';
import { POISON_OID, SCT_LIST_OID, type TestCtLog, extensionsOf, logId, precertSignedData, startTestCtLog, tbsWithout } from './testonly/ct-log.js';

/** Splits an SCT-list extnValue (OCTET STRING of a u16-prefixed list of u16-prefixed SCTs). */
function sctsOf(extValue: Uint8Array): Buffer[] {
  const octet = Buffer.from(extValue);
  assert.equal(octet[0], 0x04);
  const lenBytes = octet[1]! & 0x80 ? octet[1]! & 0x7f : 0;
  const list = octet.subarray(2 + lenBytes);
  assert.equal(list.readUInt16BE(0), list.length - 2);
  const out: Buffer[] = [];
  for (let at = 2; at < list.length; ) {
    const n = list.readUInt16BE(at);
    out.push(list.subarray(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return out;
}

let ctLog: TestCtLog;
let h: Harness;
const signed: Uint8Array[] = [];
before(async () => {
  ctLog = await startTestCtLog();
  const ct = createHttpCtClient({ url: ctLog.url, timeoutMs: 500, logKey: createPublicKey(ctLog.publicKeyPem) });
  h = await startHarness({ ct, onSign: (tbs) => void signed.push(tbs) });
});
after(async () => {
  await h?.close();
  await ctLog?.close();
});

async function requestCert() {
  const token = await h.emailIdp.mint({ email: 'ct@example.com' });
  return h.app.inject({ method: 'POST', url: '/api/v2/signingCert', payload: v2KeyBody(token, KEY_TYPES['ECDSA P-256']!(), 'ct@example.com') });
}

/** True when some TBS the CA signed since `from` had no poison extension, i.e. a final certificate. */
function finalCertificateSignedSince(from: number): boolean {
  return signed.slice(from).some((tbs) => !Buffer.from(tbs).includes(Buffer.from('060a2b06010401d679020403', 'hex')));
}

describe('embedded SCT mode', () => {
  it('submits a poisoned precertificate and embeds a verifiable SCT in the final certificate', async () => {
    ctLog.mode = 'ok';
    const res = await requestCert();
    assert.equal(res.statusCode, 200, res.body);
    const json = JSON.parse(res.body);
    assert.equal(json.signedCertificateDetachedSct, undefined);
    const chain: string[] = json.signedCertificateEmbeddedSct.chain.certificates;
    assert.match(opensslVerify(chain), /OK/);
    const leafDer = pemDecode(chain[0]!, 'CERTIFICATE');
    const intermediate = new X509Certificate(chain[1]!);

    // The log saw the precertificate: same serial, poison critical, no SCT list, full chain.
    const submitted = ctLog.submissions.at(-1)!;
    assert.equal(submitted.length, 3);
    const precert = new X509Certificate(submitted[0]!);
    assert.equal(precert.serialNumber, new X509Certificate(chain[0]!).serialNumber);
    const precertExts = extensionsOf(submitted[0]!);
    assert.deepEqual(precertExts.at(-1), { oid: POISON_OID, critical: true, value: precertExts.at(-1)!.value });
    assert.deepEqual(Buffer.from(precertExts.at(-1)!.value), Buffer.from([0x05, 0x00]));

    // The final certificate: SCT list last and non-critical, no poison.
    const exts = extensionsOf(leafDer);
    assert.ok(!exts.some((e) => e.oid === POISON_OID));
    const sctExt = exts.at(-1)!;
    assert.equal(sctExt.oid, SCT_LIST_OID);
    assert.equal(sctExt.critical, false);
    const [sct] = sctsOf(sctExt.value);
    assert.ok(sct);

    // Re-verify the SCT from the final certificate alone (what a verifier such as sigstore-js does).
    assert.equal(sct[0], 0, 'v1');
    assert.deepEqual(sct.subarray(1, 33), logId(ctLog.key));
    const timestamp = sct.readBigUInt64BE(33);
    const extLen = sct.readUInt16BE(41);
    const extensions = sct.subarray(43, 43 + extLen);
    let at = 43 + extLen;
    assert.deepEqual([sct[at], sct[at + 1]], [4, 3], 'sha256 / ecdsa');
    const sigLen = sct.readUInt16BE(at + 2);
    const signature = sct.subarray(at + 4, at + 4 + sigLen);
    assert.equal(at + 4 + sigLen, sct.length);
    const issuerKeyHash = createHash('sha256').update(intermediate.publicKey.export({ format: 'der', type: 'spki' })).digest();
    const tbs = tbsWithout(leafDer, SCT_LIST_OID, true);
    assert.deepEqual(Buffer.from(tbs), Buffer.from(tbsWithout(submitted[0]!, POISON_OID, true)), 'precert and final cert TBS agree');
    const data = precertSignedData(timestamp, issuerKeyHash, tbs, extensions);
    assert.ok(verify('sha256', data, createPublicKey(ctLog.publicKeyPem), signature), 'SCT signature verifies');
  });
});

describe('CT failures: a 5xx naming the CT problem, and no certificate issued', () => {
  for (const [mode, pattern] of [
    ['refuse', /refused the precertificate: HTTP 400/],
    ['garbage', /malformed SCT/],
    ['foreign-key', /does not verify/],
    ['hang', /no answer within 500 ms/],
  ] as const) {
    it(`CT log ${mode}`, async () => {
      ctLog.mode = mode;
      const from = signed.length;
      const res = await requestCert();
      assert.equal(res.statusCode, 503, res.body);
      const body = JSON.parse(res.body);
      assert.match(body.message, /CT log/);
      assert.match(body.message, pattern);
      assert.equal(body.code, 14);
      assert.ok(!res.body.includes('BEGIN CERTIFICATE'));
      assert.ok(signed.length > from, 'a precertificate was signed');
      assert.equal(finalCertificateSignedSince(from), false, 'no final certificate was signed');
    });
  }

  it('CT log unreachable (connection refused)', async () => {
    ctLog.mode = 'ok';
    const dead = await startTestCtLog();
    await dead.close();
    const client = createHttpCtClient({ url: dead.url, timeoutMs: 2000 });
    const err = await assertRejectsCa(client.submitPrecertificate([new Uint8Array([1])]), 'CT_UNAVAILABLE');
    assert.match(err.message, /unreachable/);
  });
});
