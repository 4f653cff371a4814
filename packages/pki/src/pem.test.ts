import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { pemDecode, pemDecodeAll, pemEncode } from './pem.js';
import { assertThrowsCode } from './testonly/assert-code.js';

describe('pem', () => {
  it('round-trips DER of every length 1..200 (64-column lines, trailing newline)', () => {
    for (let n = 1; n <= 200; n++) {
      const der = randomBytes(n);
      const pem = pemEncode('CERTIFICATE', der);
      assert.ok(pem.endsWith('-----END CERTIFICATE-----\n'));
      for (const line of pem.split('\n')) assert.ok(line.length <= 64 || line.startsWith('-----'));
      assert.deepEqual(pemDecode(pem, 'CERTIFICATE'), new Uint8Array(der));
    }
  });

  it('matches node:crypto PEM output byte for byte', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const nodePem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const der = publicKey.export({ format: 'der', type: 'spki' });
    assert.equal(pemEncode('PUBLIC KEY', der), nodePem);
    assert.deepEqual(pemDecode(nodePem), new Uint8Array(der));
  });

  it('decodes CRLF, surrounding text and several blocks; picks the block by label', () => {
    const a = pemEncode('CERTIFICATE', Buffer.from('first')).replace(/\n/g, '\r\n');
    const b = pemEncode('PUBLIC KEY', Buffer.from('second'));
    const text = `explanatory text\r\n${a}between\n${b}trailer`;
    const all = pemDecodeAll(text);
    assert.deepEqual(all.map((x) => x.label), ['CERTIFICATE', 'PUBLIC KEY']);
    assert.equal(Buffer.from(all[1]!.der).toString(), 'second');
    assert.equal(Buffer.from(pemDecode(text, 'PUBLIC KEY')).toString(), 'second');
    assert.equal(Buffer.from(pemDecode(text)).toString(), 'first');
  });

  it('accepts valid base64 that is not in canonical form (non-zero padding bits), as before', () => {
    // 'AAB=' and 'AAA=' both decode to two zero bytes; only the second re-encodes to itself.
    assert.deepEqual(pemDecode('-----BEGIN X-----\nAAB=\n-----END X-----\n'), new Uint8Array(2));
    assert.deepEqual(pemDecode('-----BEGIN X-----\nAAAB\nAA==\n-----END X-----\n'), Uint8Array.of(0, 0, 1, 0));
  });

  it('rejects malformed PEM with BAD_PEM', () => {
    const good = pemEncode('PUBLIC KEY', randomBytes(40));
    const cases: string[] = [
      '',
      'no pem here',
      good.replace('-----END PUBLIC KEY-----', ''), // unterminated
      good.replace('END PUBLIC KEY', 'END CERTIFICATE'), // mismatched END
      '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n', // empty body
      good.replace(/\n([A-Za-z0-9+/])/, '\n!$1'), // bad character
      good.replace(/\n([A-Za-z0-9+/])/, '\n$1$1'), // length not a multiple of 4
      '-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END PUBLIC KEY-----\n', // headers
      '-----BEGIN PUBLIC KEY-----\nA=AA\n-----END PUBLIC KEY-----\n', // padding in the middle
    ];
    for (const text of cases) assertThrowsCode(() => pemDecodeAll(text), 'BAD_PEM');
    assertThrowsCode(() => pemDecode(good, 'CERTIFICATE'), 'BAD_PEM');
  });
});
