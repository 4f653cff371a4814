import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  BASE,
  D,
  IDENTITY,
  L,
  P,
  type Point,
  add,
  canon,
  decodePoint,
  double,
  encodePoint,
  equal,
  fromLittleEndian,
  isSmallOrder,
  linearCombination,
  negate,
  toLittleEndian32,
} from './edwards25519.js';
import { ed25519TorsionPoints, textbookPowMod } from '../testonly/ed25519-reference.js';

/** The affine coordinates of a point. */
function affine(p: Point): { x: bigint; y: bigint } {
  const zInv = textbookPowMod(canon(p.Z), P - 2n, P);
  return { x: canon(p.X * zInv), y: canon(p.Y * zInv) };
}

/** -x² + y² = 1 + d·x²·y², and T/Z = x·y. */
function onCurve(p: Point): boolean {
  const { x, y } = affine(p);
  const xx = (x * x) % P;
  const yy = (y * y) % P;
  return canon(-xx + yy - 1n - D * xx * yy) === 0n && canon(p.T * p.Z - p.X * p.Y) === 0n;
}

/** [k]P by plain double-and-add with the complete addition only. */
function naiveMultiply(k: bigint, p: Point): Point {
  let acc = IDENTITY;
  for (let addend = p; k > 0n; k >>= 1n, addend = add(addend, addend)) if (k & 1n) acc = add(acc, addend);
  return acc;
}

const randomScalar = (bytes = 32) => fromLittleEndian(randomBytes(bytes));
const randomPoint = () => naiveMultiply(randomScalar() % L, BASE);
const nodePublicKey = () => new Uint8Array(Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url'));
const encodeY = (y: bigint, sign: 0 | 1) => {
  const b = toLittleEndian32(y);
  b[31]! |= sign << 7;
  return b;
};

/** Any curve point, not necessarily in the prime-order subgroup. */
function decodeAny(): Point {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const p = decodePoint(randomBytes(32));
    if (p !== null) return p;
  }
  throw new Error('no random 32 bytes decode: decodePoint is broken');
}

describe('edwards25519 constants and encodings', () => {
  it('B encodes as 0x58 66…66, has order L, and d = -121665/121666', () => {
    assert.equal(Buffer.from(encodePoint(BASE)).toString('hex'), '58' + '66'.repeat(31));
    assert.ok(onCurve(BASE));
    assert.ok(equal(naiveMultiply(L, BASE), IDENTITY));
    assert.ok(!equal(naiveMultiply(L - 1n, BASE), IDENTITY));
    assert.equal(canon(D * 121666n + 121665n), 0n);
    assert.equal(L, 2n ** 252n + 27742317777372353535851937790883648493n);
  });

  it('decodes every node:crypto public key to a point that re-encodes to the same bytes', () => {
    for (let i = 0; i < 32; i++) {
      const a = nodePublicKey();
      const p = decodePoint(a);
      assert.ok(p !== null && onCurve(p));
      assert.deepEqual(encodePoint(p), a);
    }
  });

  it('decodes exactly the y whose x² = (y² - 1)/(d·y² + 1) is a square (Euler), both signs', () => {
    let squares = 0;
    for (let i = 0; i < 200; i++) {
      const y = randomScalar() % P;
      const x2 = canon((y * y - 1n) * textbookPowMod(canon(D * y * y + 1n), P - 2n, P));
      const isSquare = x2 === 0n || textbookPowMod(x2, (P - 1n) / 2n, P) === 1n;
      for (const sign of [0, 1] as const) {
        const p = decodePoint(encodeY(y, sign));
        assert.equal(p !== null, isSquare, `y = ${y}`);
        if (p === null) continue;
        assert.ok(onCurve(p));
        assert.equal(affine(p).y, y);
        assert.equal(Number(affine(p).x & 1n), sign);
      }
      if (isSquare) squares++;
    }
    assert.ok(squares > 50 && squares < 150, 'about half of all y are on the curve');
  });

  it('refuses non-canonical encodings: y ≥ p, and x = 0 with the sign bit set', () => {
    for (let y = 0n; y < 19n; y++) {
      // y + p < 2^255 is the same y, written non-canonically: always refused, whether or not y decodes
      for (const sign of [0, 1] as const) assert.equal(decodePoint(encodeY(y + P, sign)), null, `y = ${y} + p`);
    }
    assert.notEqual(decodePoint(encodeY(0n, 0)), null, 'y = 0 is a point (of order 4)');
    assert.ok(equal(decodePoint(encodeY(1n, 0))!, IDENTITY));
    assert.equal(decodePoint(encodeY(1n, 1)), null, '(0, 1) with sign 1');
    assert.notEqual(decodePoint(encodeY(P - 1n, 0)), null, '(0, -1) is a point (of order 2)');
    assert.equal(decodePoint(encodeY(P - 1n, 1)), null, '(0, -1) with sign 1');
    assert.equal(decodePoint(new Uint8Array(31)), null);
    assert.equal(decodePoint(new Uint8Array(33)), null);
  });

  it('finds exactly 8 small-order points, and no prime-order or mixed point is small', () => {
    const t = ed25519TorsionPoints();
    const encodings = new Set(t.map((p) => Buffer.from(encodePoint(p)).toString('hex')));
    assert.equal(encodings.size, 8);
    for (const p of t) {
      assert.ok(onCurve(p) && isSmallOrder(p));
      assert.ok(equal(decodePoint(encodePoint(p))!, p));
    }
    for (let i = 0; i < 8; i++) {
      const q = randomPoint();
      assert.ok(!isSmallOrder(q));
      assert.ok(!isSmallOrder(add(q, t[i]!)));
    }
  });
});

describe('edwards25519 arithmetic', () => {
  it('add, double and negate agree with each other and stay on the curve', () => {
    for (let i = 0; i < 16; i++) {
      const p = randomPoint();
      const q = randomPoint();
      assert.ok(onCurve(add(p, q)) && onCurve(double(p)));
      assert.ok(equal(double(p), add(p, p)));
      assert.ok(equal(add(p, q), add(q, p)));
      assert.ok(equal(add(p, negate(p)), IDENTITY));
      assert.ok(equal(add(add(p, q), negate(q)), p));
      assert.ok(equal(add(p, IDENTITY), p));
    }
  });

  it('linearCombination([s]B + [k]A) matches double-and-add for random, small and edge scalars', () => {
    const edge = [0n, 1n, 2n, 7n, 8n, 63n, 64n, 127n, 128n, L - 1n, L, L + 1n, (1n << 253n) - 1n];
    const scalars = [...edge, ...Array.from({ length: 12 }, () => randomScalar() % L)];
    for (let i = 0; i < scalars.length; i++) {
      const s = scalars[i]!;
      const k = scalars[(i * 7 + 3) % scalars.length]!;
      const a = i % 3 === 0 ? decodeAny() : randomPoint(); // also points outside the prime-order subgroup
      const want = add(naiveMultiply(s, BASE), naiveMultiply(k, a));
      const got = linearCombination(s, k, a);
      assert.ok(equal(got, want), `s = ${s}, k = ${k}`);
      assert.ok(onCurve(got));
    }
  });
});
