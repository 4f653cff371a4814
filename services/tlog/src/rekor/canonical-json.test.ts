import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalize, canonicalizeToBytes } from './canonical-json.js';
import { LogError } from '../errors.js';

test('RFC 8785 §3.2.2 example: numbers, string escapes, literals', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  );
  assert.equal(
    canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units', () => {
  const input = JSON.parse(
    '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
      '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
  );
  assert.equal(
    canonicalize(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

test('nested objects, arrays, bigint, undefined members and UTF-8 output', () => {
  assert.equal(canonicalize({ b: [1, { d: 2, c: 'x' }], a: 9007199254740993n, u: undefined }), '{"a":9007199254740993,"b":[1,{"c":"x","d":2}]}');
  assert.deepEqual(Array.from(canonicalizeToBytes('é')), [0x22, 0xc3, 0xa9, 0x22]);
  assert.equal(canonicalize({ html: '<a&b>' }), '{"html":"<a&b>"}');
});

test('rejects what RFC 8785 forbids', () => {
  for (const bad of [Number.NaN, Infinity, '\ud800', { '\udc00': 1 }]) {
    assert.throws(() => canonicalize(bad as never), (e: unknown) => e instanceof LogError && e.code === 'ENTRY_INVALID');
  }
});

test('reproduces every Rekor v1 vector body byte for byte', () => {
  const vectors = JSON.parse(readFileSync(new URL('../../testdata/rekor-v1-entries.json', import.meta.url), 'utf8'));
  for (const e of vectors.entries) {
    const body = Buffer.from((Object.values(e.logEntryResponse)[0] as { body: string }).body, 'base64');
    assert.equal(Buffer.from(canonicalizeToBytes(JSON.parse(body.toString('utf8')))).compare(body), 0, e.name);
    // and the SET payload, which is the canonical form of the four signed fields
    const entry = Object.values(e.logEntryResponse)[0] as Record<string, unknown>;
    const payload = canonicalize({ body: entry.body as string, integratedTime: entry.integratedTime as number, logID: entry.logID as string, logIndex: entry.logIndex as number });
    assert.equal(payload, e.derived.setSignedPayload, e.name);
  }
});
