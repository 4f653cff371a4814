import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CURVES, bigintToBytes, bytesToBigint, isOnCurve, mod } from './curves.js';
import { modInverse } from './modinv.js';

describe('curve constants', () => {
  for (const c of Object.values(CURVES)) {
    it(`${c.name}: n is the group order and b matches OpenSSL`, () => {
      const ecdh = createECDH(c.opensslName);
      assert.throws(() => ecdh.setPrivateKey(bigintToBytes(c.n, c.size))); // n is out of range ...
      ecdh.setPrivateKey(bigintToBytes(c.n - 1n, c.size)); // ... n-1 is in range and gives -G
      const minusG = ecdh.getPublicKey();
      ecdh.setPrivateKey(bigintToBytes(1n, c.size));
      const g = ecdh.getPublicKey();
      const x = (b: Buffer) => bytesToBigint(b.subarray(1, 1 + c.size));
      const y = (b: Buffer) => bytesToBigint(b.subarray(1 + c.size));
      assert.equal(x(minusG), x(g));
      assert.equal(y(minusG), c.p - y(g));
      assert.equal(c.n.toString(2).length, c.bits);
      for (let i = 0; i < 20; i++) {
        ecdh.generateKeys();
        const pub = ecdh.getPublicKey();
        assert.ok(isOnCurve(c, x(pub), y(pub)));
        assert.ok(!isOnCurve(c, x(pub), mod(y(pub) + 1n, c.p)));
      }
    });
  }

  it('modInverse is an inverse mod p and mod n for random values of every size', () => {
    for (const c of Object.values(CURVES)) {
      for (const m of [c.p, c.n]) {
        for (let i = 0; i < 500; i++) {
          const a = 1n + mod(bytesToBigint(randomBytes(c.size + 8)), m - 1n);
          assert.equal((a * modInverse(a, m)) % m, 1n);
        }
        for (const a of [1n, 2n, m - 1n, m - 2n, (m + 1n) / 2n]) assert.equal((a * modInverse(a, m)) % m, 1n);
      }
    }
  });
});
