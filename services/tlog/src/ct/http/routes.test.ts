// The CT log over HTTP (app.inject), on PGlite and, when DATABASE_URL is set, PostgreSQL: every
// RFC 6962 endpoint, SCTs verified independently and inside the final certificate with
// @sigstore/core, proofs against the STH, rejections naming their reason, the static-ct-api read
// path, and the CT and Rekor trees sharing one schema without mixing.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify, X509Certificate as NodeX509 } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ByteStream, X509Certificate, X509SCTExtension, EXTENSION_OID_SCT } from '@sigstore/core';
import { hashLeaf, parseSignedNote, verifyConsistency, verifyInclusion } from '@signet/merkle';
import { EphemeralSigner, encodeSct, encodeSctList, encodeTbsCertificate, issueCertificate, parseCertificate, pemEncode } from '@signet/pki';
import { testDrivers } from '@signet/storage/testonly';
import { decodeLeaf } from '../leaf.js';
import { decodeExtraData } from '../extra.js';
import { rfc6962NoteKeyId } from '../static-ct.js';
import { treeHeadSignatureData } from '../tls.js';
import { createTestCa, issuePrecert, startTestCtApp, strangerRoot, testLeafTemplate, type TestCa, type TestCtApp } from '../testonly/fixtures.js';

const drivers = testDrivers(process.env.DATABASE_URL);
const T0 = Date.parse('2026-03-01T12:00:00Z');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

for (const driver of drivers) {
  describe(`CT log over HTTP (${driver.name})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    let clock = T0;
    const now = () => clock;
    let ca: TestCa;
    let t: TestCtApp;
    const post = (path: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/ct/ct/v1/${path}`, payload: payload as object });
    const get = (path: string) => t.app.inject({ method: 'GET', url: `/ct${path}` });
    const submitPrecert = async (email?: string) => {
      const template = testLeafTemplate(ca, new Date(clock), email);
      const precert = await issuePrecert(ca, template);
      const res = await post('add-pre-chain', { chain: [b64(precert), b64(ca.intermediateDer), b64(ca.rootDer)] });
      return { template, precert, res };
    };

    before(async () => {
      ca = await createTestCa(new Date(T0));
      t = await startTestCtApp((fn) => cleanups.push(fn), driver, { rootsPem: ca.chainPem, now });
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
      await driver.cleanup();
    });

    test('add-pre-chain returns an RFC 6962 v1 SCT that verifies independently over the precertificate', async () => {
      clock += 1000;
      const { template, res } = await submitPrecert();
      assert.equal(res.statusCode, 200, res.body);
      const sct = res.json();
      assert.equal(sct.sct_version, 0);
      assert.equal(sct.id, b64(createHash('sha256').update(t.ctSigner.publicKeyDer).digest()));
      assert.equal(sct.timestamp, clock);
      // static-ct-api: one leaf_index extension (type 0, 5 bytes, uint40 big-endian).
      const ext = unb64(sct.extensions);
      assert.deepEqual([...ext.subarray(0, 3)], [0, 0, 5]);
      const leafIndex = ext.subarray(3).reduce((v, b) => v * 256 + b, 0);
      const ds = unb64(sct.signature);
      assert.deepEqual([ds[0], ds[1]], [4, 3], 'sha256 / ecdsa');
      assert.equal((ds[2]! << 8) | ds[3]!, ds.length - 4);
      // The struct, rebuilt without the pki CT helpers: the TBS of the certificate without poison or
      // SCT list is what the builder encodes for the bare template.
      const issuerSpki = new NodeX509(ca.intermediateDer).publicKey.export({ type: 'spki', format: 'der' });
      const tbs = encodeTbsCertificate(template, ca.issuer);
      const u64 = Buffer.alloc(8);
      u64.writeBigUInt64BE(BigInt(sct.timestamp));
      const len24 = Buffer.from([tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff]);
      const signed = Buffer.concat([Buffer.from([0, 0]), u64, Buffer.from([0, 1]), createHash('sha256').update(issuerSpki).digest(), len24, tbs, Buffer.from([0, 8]), ext]);
      const key = createPublicKey({ key: Buffer.from(t.ctSigner.publicKeyDer), format: 'der', type: 'spki' });
      assert.ok(verify('sha256', signed, { key, dsaEncoding: 'der' }, ds.subarray(4)));
      // The struct is the Merkle leaf: its hash is logged at the index the extension names.
      const leafHash = createHash('sha256').update(Buffer.concat([Buffer.from([0]), signed])).digest();
      const size = (await get('/ct/v1/get-sth')).json().tree_size;
      const found = (await get(`/ct/v1/get-proof-by-hash?hash=${encodeURIComponent(b64(leafHash))}&tree_size=${size}`)).json();
      assert.equal(found.leaf_index, leafIndex);
      const logged = (await get(`/ct/v1/get-entries?start=${leafIndex}&end=${leafIndex}`)).json();
      assert.deepEqual(unb64(logged.entries[0].leaf_input), new Uint8Array(signed));
      signed[12] ^= 1;
      assert.ok(!verify('sha256', signed, { key, dsaEncoding: 'der' }, ds.subarray(4)), 'a different entry type must not verify');
    });

    test('the SCT embedded in the final certificate verifies with @sigstore/core as sigstore-js does', async () => {
      clock += 1000;
      const { template, res } = await submitPrecert('bob@example.com');
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      const ds = unb64(r.signature);
      const sctBytes = encodeSct({ version: 0, logId: unb64(r.id), timestamp: BigInt(r.timestamp), extensions: unb64(r.extensions), hashAlgorithm: ds[0]!, signatureAlgorithm: ds[1]!, signature: ds.subarray(4) });
      const finalDer = await issueCertificate(template, ca.issuer, { sctList: encodeSctList([sctBytes]) });
      const cert = X509Certificate.parse(Buffer.from(finalDer));
      const issuer = X509Certificate.parse(Buffer.from(ca.intermediateDer));
      const clone = cert.clone();
      const i = clone.extensions.findIndex((e) => e.subs[0]!.toOID() === EXTENSION_OID_SCT);
      assert.ok(i >= 0, 'the final certificate carries the SCT list');
      const ext = new X509SCTExtension(clone.extensions[i]!);
      clone.extensions.splice(i, 1);
      const preCert = new ByteStream();
      preCert.appendView(createHash('sha256').update(issuer.publicKey).digest());
      const tbs = clone.tbsCertificate.toDER();
      preCert.appendUint24(tbs.length);
      preCert.appendView(tbs);
      const key = createPublicKey({ key: Buffer.from(t.ctSigner.publicKeyDer), format: 'der', type: 'spki' });
      const [sct] = ext.signedCertificateTimestamps;
      assert.ok(sct);
      assert.ok(sct.logID.equals(createHash('sha256').update(t.ctSigner.publicKeyDer).digest()));
      assert.ok(sct.verify(preCert.buffer, key), 'SignedCertificateTimestamp.verify over the final certificate');
      const other = createPublicKey({ key: Buffer.from(EphemeralSigner.generate('ecdsa-p256-sha256').publicKeyDer), format: 'der', type: 'spki' });
      assert.ok(!sct.verify(preCert.buffer, other), 'another key must not verify');
    });

    test('a duplicate submission gets the original SCT back and adds no entry', async () => {
      clock += 1000;
      const template = testLeafTemplate(ca, new Date(clock));
      const precert = await issuePrecert(ca, template);
      const chain = [b64(precert), b64(ca.intermediateDer)];
      const first = await post('add-pre-chain', { chain });
      const sizeAfterFirst = (await get('/ct/v1/get-sth')).json().tree_size;
      clock += 5000;
      const [again, concurrent] = await Promise.all([post('add-pre-chain', { chain }), post('add-pre-chain', { chain: [...chain, b64(ca.rootDer)] })]);
      assert.deepEqual(again.json(), first.json());
      assert.deepEqual(concurrent.json(), first.json());
      assert.equal((await get('/ct/v1/get-sth')).json().tree_size, sizeAfterFirst);
    });

    test('add-chain logs a final certificate as an x509_entry', async () => {
      clock += 1000;
      const template = testLeafTemplate(ca, new Date(clock));
      const cert = await issueCertificate(template, ca.issuer);
      const res = await post('add-chain', { chain: [b64(cert), b64(ca.intermediateDer), b64(ca.rootDer)] });
      assert.equal(res.statusCode, 200, res.body);
      const sct = res.json();
      const u64 = Buffer.alloc(8);
      u64.writeBigUInt64BE(BigInt(sct.timestamp));
      const len24 = Buffer.from([cert.length >> 16, (cert.length >> 8) & 0xff, cert.length & 0xff]);
      const ext = unb64(sct.extensions);
      assert.equal(ext.length, 8, 'one leaf_index extension');
      const signed = Buffer.concat([Buffer.from([0, 0]), u64, Buffer.from([0, 0]), len24, cert, Buffer.from([0, 8]), ext]);
      const key = createPublicKey({ key: Buffer.from(t.ctSigner.publicKeyDer), format: 'der', type: 'spki' });
      assert.ok(verify('sha256', signed, { key, dsaEncoding: 'der' }, unb64(sct.signature).subarray(4)));
    });

    test('get-sth is signed per RFC 6962 §3.5 and is not older than any SCT', async () => {
      clock += 1000;
      const { res } = await submitPrecert();
      const sctTime = res.json().timestamp;
      clock -= 10_000; // the clock steps back: the STH must still not precede the SCT
      const sth = (await get('/ct/v1/get-sth')).json();
      clock += 10_000;
      assert.ok(sth.timestamp >= sctTime, `${sth.timestamp} >= ${sctTime}`);
      const ds = unb64(sth.tree_head_signature);
      assert.deepEqual([ds[0], ds[1]], [4, 3]);
      const data = treeHeadSignatureData(BigInt(sth.timestamp), BigInt(sth.tree_size), unb64(sth.sha256_root_hash));
      assert.equal(data.length, 50);
      assert.deepEqual([data[0], data[1]], [0, 1]);
      const key = createPublicKey({ key: Buffer.from(t.ctSigner.publicKeyDer), format: 'der', type: 'spki' });
      assert.ok(verify('sha256', data, { key, dsaEncoding: 'der' }, ds.subarray(4)));
    });

    test('get-proof-by-hash proofs verify against get-sth, and get-sth-consistency links two STHs', async () => {
      clock += 1000;
      const sth1 = (await get('/ct/v1/get-sth')).json();
      await submitPrecert('carol@example.com');
      await submitPrecert('dave@example.com');
      const sth2 = (await get('/ct/v1/get-sth')).json();
      assert.ok(sth2.tree_size >= sth1.tree_size + 2);
      const { entries } = (await get(`/ct/v1/get-entries?start=0&end=${sth2.tree_size - 1}`)).json();
      assert.equal(entries.length, sth2.tree_size);
      for (const [i, e] of entries.entries()) {
        const leafHash = hashLeaf(unb64(e.leaf_input));
        const res = await get(`/ct/v1/get-proof-by-hash?hash=${encodeURIComponent(b64(leafHash))}&tree_size=${sth2.tree_size}`);
        assert.equal(res.statusCode, 200, res.body);
        const p = res.json();
        assert.equal(p.leaf_index, i);
        verifyInclusion(BigInt(i), BigInt(sth2.tree_size), leafHash, p.audit_path.map(unb64), unb64(sth2.sha256_root_hash));
      }
      const c = await get(`/ct/v1/get-sth-consistency?first=${sth1.tree_size}&second=${sth2.tree_size}`);
      assert.equal(c.statusCode, 200, c.body);
      verifyConsistency(BigInt(sth1.tree_size), BigInt(sth2.tree_size), c.json().consistency.map(unb64), unb64(sth1.sha256_root_hash), unb64(sth2.sha256_root_hash));
      assert.deepEqual((await get(`/ct/v1/get-sth-consistency?first=0&second=${sth2.tree_size}`)).json(), { consistency: [] });
      const ep = (await get(`/ct/v1/get-entry-and-proof?leaf_index=1&tree_size=${sth2.tree_size}`)).json();
      assert.equal(ep.leaf_input, entries[1].leaf_input);
      verifyInclusion(1n, BigInt(sth2.tree_size), hashLeaf(unb64(ep.leaf_input)), ep.audit_path.map(unb64), unb64(sth2.sha256_root_hash));
    });

    test('get-entries serves the MerkleTreeLeaf and the PrecertChainEntry ending at the root', async () => {
      const { entries } = (await get('/ct/v1/get-entries?start=0&end=0')).json();
      assert.equal(entries.length, 1);
      const leaf = decodeLeaf(unb64(entries[0].leaf_input));
      assert.equal(leaf.entry.type, 'precert');
      const extra = decodeExtraData('precert', unb64(entries[0].extra_data));
      assert.ok(extra.precertificate && parseCertificate(extra.precertificate).extensions.some((e) => e.oid === '1.3.6.1.4.1.11129.2.4.3'));
      assert.deepEqual(extra.chain.map(b64), [b64(ca.intermediateDer), b64(ca.rootDer)]);
      const far = (await get('/ct/v1/get-entries?start=0&end=99999')).json();
      assert.equal(far.entries.length, (await get('/ct/v1/get-sth')).json().tree_size, 'end is clipped to the tree');
    });

    test('get-roots lists the accepted root', async () => {
      const res = await get('/ct/v1/get-roots');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { certificates: [b64(ca.rootDer)] });
    });

    test('static-ct-api checkpoint is the STH as an RFC6962NoteSignature note', async () => {
      const res = await get('/checkpoint');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      const { text, signatures } = parseSignedNote(res.body);
      const [origin, size, root] = text.split('\n');
      assert.equal(origin, 'localhost/ct');
      assert.equal(signatures.length, 1);
      const sig = signatures[0]!;
      assert.equal(sig.name, 'localhost/ct');
      const logId = createHash('sha256').update(t.ctSigner.publicKeyDer).digest();
      const expectId = createHash('sha256').update(Buffer.concat([Buffer.from('localhost/ct\n'), Buffer.from([5]), logId])).digest().subarray(0, 4);
      assert.deepEqual(Buffer.from(sig.keyId), expectId);
      assert.deepEqual(rfc6962NoteKeyId('localhost/ct', logId), new Uint8Array(expectId));
      const ts = Buffer.from(sig.signature).readBigUInt64BE(0);
      const ds = sig.signature.subarray(8);
      const key = createPublicKey({ key: Buffer.from(t.ctSigner.publicKeyDer), format: 'der', type: 'spki' });
      assert.ok(verify('sha256', treeHeadSignatureData(ts, BigInt(size!), unb64(root!)), { key, dsaEncoding: 'der' }, ds.subarray(4)));
      const sth = (await get('/ct/v1/get-sth')).json();
      assert.equal(Number(size), sth.tree_size);
      assert.equal(Number(ts), sth.timestamp, 'the checkpoint and get-sth are the same STH');
    });

    test('static-ct-api tiles: level-0 hashes and TileLeaf data tiles match get-entries; issuers by fingerprint', async () => {
      const sth = (await get('/ct/v1/get-sth')).json();
      const n = sth.tree_size;
      const tile = await get(`/tile/0/000.p/${n}`);
      assert.equal(tile.statusCode, 200, tile.body);
      const { entries } = (await get(`/ct/v1/get-entries?start=0&end=${n - 1}`)).json();
      assert.deepEqual(tile.rawPayload, Buffer.concat(entries.map((e: { leaf_input: string }) => hashLeaf(unb64(e.leaf_input)))));
      const data = await get(`/tile/data/000.p/${n}`);
      assert.equal(data.statusCode, 200, data.body);
      // Walk the TileLeafs: TimestampedEntry (= leaf_input minus 2 bytes), [precert], fingerprints.
      let at = 0;
      const buf = data.rawPayload;
      for (const e of entries) {
        const leafInput = Buffer.from(e.leaf_input, 'base64');
        const te = leafInput.subarray(2);
        assert.deepEqual(buf.subarray(at, at + te.length), te);
        at += te.length;
        const extra = decodeExtraData(decodeLeaf(leafInput).entry.type, unb64(e.extra_data));
        if (extra.precertificate) {
          assert.equal(buf.readUIntBE(at, 3), extra.precertificate.length);
          at += 3 + extra.precertificate.length;
        }
        const fpLen = buf.readUInt16BE(at);
        at += 2;
        assert.equal(fpLen, 32 * extra.chain.length);
        for (const c of extra.chain) {
          const fp = buf.subarray(at, at + 32);
          assert.deepEqual(fp, createHash('sha256').update(c).digest());
          at += 32;
          const iss = await get(`/issuer/${fp.toString('hex')}`);
          assert.equal(iss.statusCode, 200);
          assert.equal(iss.headers['content-type'], 'application/pkix-cert');
          assert.deepEqual(new Uint8Array(iss.rawPayload), c);
        }
      }
      assert.equal(at, buf.length);
      assert.equal((await get(`/tile/data/000.p/${n + 1}`)).statusCode, 404);
      assert.equal((await get(`/issuer/${'00'.repeat(32)}`)).statusCode, 404);
      assert.equal((await get('/issuer/xyz')).statusCode, 400);
      assert.equal((await get('/tile/data/1')).statusCode, 400);
    });

    test('every rejection is a 400 whose JSON body names the reason', async () => {
      clock += 1000;
      const template = testLeafTemplate(ca, new Date(clock));
      const precert = await issuePrecert(ca, template);
      const cert = await issueCertificate(template, ca.issuer);
      const stranger = await strangerRoot(new Date(clock));
      const strangerLeaf = await issueCertificate(testLeafTemplate(ca, new Date(clock)), stranger.issuer, { precertificate: true });
      const cases: [string, unknown, RegExp][] = [
        ['add-pre-chain', { chain: ['not base64!'] }, /chain\[0\] is not valid base64/],
        ['add-pre-chain', { chain: [b64(new TextEncoder().encode('hello world'))] }, /chain\[0\] is not a DER X\.509 certificate/],
        ['add-pre-chain', { chain: [] }, /chain/],
        ['add-pre-chain', {}, /chain/],
        ['add-pre-chain', { chain: [b64(cert), b64(ca.intermediateDer)] }, /poison extension 1\.3\.6\.1\.4\.1\.11129\.2\.4\.3 is missing/],
        ['add-chain', { chain: [b64(precert), b64(ca.intermediateDer)] }, /is a precertificate .*add-pre-chain/],
        ['add-pre-chain', { chain: [b64(strangerLeaf), b64(stranger.der)] }, /does not validate to an accepted root/],
      ];
      for (const [path, body, reason] of cases) {
        const res = await post(path, body);
        assert.equal(res.statusCode, 400, `${path} ${JSON.stringify(body).slice(0, 60)}: ${res.body}`);
        const json = res.json();
        assert.equal(json.success, false);
        assert.match(json.error_message, reason);
      }
      // A precertificate alone is completed by the configured intermediate.
      const alone = await post('add-pre-chain', { chain: [b64(precert)] });
      assert.equal(alone.statusCode, 200, alone.body);
      clock += 11 * 60_000; // the 10-minute precertificate has expired
      const expired = await post('add-pre-chain', { chain: [b64(precert), b64(ca.intermediateDer)] });
      assert.equal(expired.statusCode, 400);
      assert.match(expired.json().error_message, /leaf certificate expired at/);
      const notJson = await t.app.inject({ method: 'POST', url: '/ct/ct/v1/add-chain', headers: { 'content-type': 'application/json' }, payload: '{' });
      assert.equal(notJson.statusCode, 400);
      assert.match(notJson.json().error_message, /not valid JSON/);
    });

    test('read endpoints refuse bad parameters with 4xx naming them', async () => {
      const size = (await get('/ct/v1/get-sth')).json().tree_size;
      const cases: [string, number, RegExp][] = [
        [`/ct/v1/get-entries?start=5&end=1`, 400, /start \(5\) must not exceed end/],
        [`/ct/v1/get-entries?start=${size}&end=${size + 5}`, 400, /beyond the last entry/],
        [`/ct/v1/get-entries?start=-1&end=2`, 400, /start/],
        [`/ct/v1/get-sth-consistency?first=2&second=1`, 400, /must not exceed/],
        [`/ct/v1/get-sth-consistency?first=1&second=${size + 1}`, 400, /beyond the tree size/],
        [`/ct/v1/get-proof-by-hash?hash=abc&tree_size=1`, 400, /32-byte leaf hash/],
        [`/ct/v1/get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=${size}`, 404, /no entry with leaf hash/],
        [`/ct/v1/get-proof-by-hash?tree_size=1`, 400, /hash/],
        [`/ct/v1/get-entry-and-proof?leaf_index=${size}&tree_size=${size}`, 400, /must be below tree_size/],
      ];
      for (const [url, status, reason] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, status, `${url}: ${res.body}`);
        assert.match(res.json().error_message, reason, url);
      }
      const entries = (await get('/ct/v1/get-entries?start=1&end=1')).json().entries;
      const h = b64(hashLeaf(unb64(entries[0].leaf_input)));
      const outside = await get(`/ct/v1/get-proof-by-hash?hash=${encodeURIComponent(h)}&tree_size=1`);
      assert.equal(outside.statusCode, 400);
      assert.match(outside.json().error_message, /outside the tree of size 1/);
      const unescaped = await get(`/ct/v1/get-proof-by-hash?hash=${h}&tree_size=${size}`);
      assert.equal(unescaped.statusCode, 200, 'an unescaped "+" in the hash is tolerated');
    });

    test('the CT tree and the Rekor tree share the schema and never mix', async () => {
      const ctBefore = (await get('/ct/v1/get-sth')).json();
      const rekorBefore = await t.rekorEngine.head();
      await t.rekorEngine.append({ body: new TextEncoder().encode('{"rekor":1}'), searchKeys: ['x'] });
      await t.rekorEngine.append({ body: new TextEncoder().encode('{"rekor":2}'), searchKeys: ['x'] });
      clock += 1000;
      const sub = await submitPrecert('erin@example.com');
      assert.equal(sub.res.statusCode, 200);
      const ctAfter = (await get('/ct/v1/get-sth')).json();
      const rekorAfter = await t.rekorEngine.head();
      assert.equal(ctAfter.tree_size, ctBefore.tree_size + 1);
      assert.equal(rekorAfter.size, rekorBefore.size + 2n);
      const { entries } = (await get(`/ct/v1/get-entries?start=0&end=${ctAfter.tree_size - 1}`)).json();
      for (const e of entries) assert.doesNotThrow(() => decodeLeaf(unb64(e.leaf_input)), 'only CT leaves in the CT tree');
      const rekorEntries = await t.rekorEngine.entries({ from: 0n, count: Number(rekorAfter.size) });
      assert.ok(rekorEntries.every((e) => e.body[0] === 0x7b), 'only Rekor bodies in the Rekor tree');
      const ctHead = await t.ct.engine.head();
      assert.notDeepEqual(ctHead.rootHash, rekorAfter.rootHash);
      assert.equal(b64(ctHead.rootHash), ctAfter.sha256_root_hash);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/log' })).json().treeSize, Number(rekorAfter.size));
      // Rekor's own error shape is untouched by the CT error handler.
      const rekor404 = await t.app.inject({ method: 'GET', url: '/api/v1/log/entries?logIndex=999999' });
      assert.equal(typeof rekor404.json().code, 'number');
    });

    test('the public key PEM and log ID describe the CT key', () => {
      assert.equal(t.ct.publicKeyPem, pemEncode('PUBLIC KEY', t.ctSigner.publicKeyDer));
      assert.deepEqual(t.ct.logId, new Uint8Array(createHash('sha256').update(t.ctSigner.publicKeyDer).digest()));
    });
  });
}
