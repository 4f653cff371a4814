import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalizeToBytes } from './canonical-json.js';
import { setPayload, type SetFields } from './set.js';

const jcs = (f: SetFields): Uint8Array =>
  canonicalizeToBytes({ logIndex: f.logIndex, logID: f.logID, integratedTime: f.integratedTime, body: f.body });

describe('setPayload', () => {
  it('is the RFC 8785 canonical JSON of the four fields', () => {
    const cases: SetFields[] = [
      { body: Buffer.from('{"a":1}').toString('base64'), integratedTime: 1_700_000_000, logID: 'c0ffee'.repeat(10) + 'abcd', logIndex: 0 },
      { body: 'QQ==', integratedTime: 1, logID: '00', logIndex: 123456789n },
      { body: '', integratedTime: 0, logID: '', logIndex: Number.MAX_SAFE_INTEGER },
      // Not base64 / not lower-case hex: the general path escapes them exactly as JCS does.
      { body: 'a"b\\c\n', integratedTime: 5, logID: 'ABCDEF', logIndex: 7 },
      { body: 'é', integratedTime: 5, logID: 'x', logIndex: 7 },
      { body: 'tab\there', integratedTime: 5, logID: '\u007f', logIndex: 7 },
      { body: ' !#[]~', integratedTime: -3, logID: 'x', logIndex: 0 },
    ];
    for (const f of cases) {
      const got = setPayload(f);
      assert.ok(got instanceof Uint8Array);
      assert.equal(Buffer.from(got).toString('utf8'), Buffer.from(jcs(f)).toString('utf8'));
    }
  });

  it('refuses what JCS refuses (a non-finite number)', () => {
    assert.throws(() => setPayload({ body: 'QQ==', integratedTime: Number.NaN, logID: '00', logIndex: 1 }), { code: 'ENTRY_INVALID' });
  });
});
