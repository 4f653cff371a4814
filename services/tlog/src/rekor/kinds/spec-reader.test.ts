import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogError } from '../../errors.js';
import { b64 } from './spec-reader.js';

const rejects = (s: string) =>
  assert.throws(() => b64(s, 'f'), (e: unknown) => e instanceof LogError && e.code === 'ENTRY_INVALID' && /^f is not valid base64$/.test(e.message), s);

test('b64 decodes standard base64 as Go StdEncoding does, canonical or not', () => {
  const bytes = Buffer.from('a certificate, say \x00\xff', 'latin1');
  const canonical = bytes.toString('base64');
  assert.deepEqual(Buffer.from(b64(canonical, 'f')), bytes); // the fast path
  assert.deepEqual(Buffer.from(b64(`${canonical.slice(0, 8)}\r\n${canonical.slice(8)}\n`, 'f')), bytes); // CR/LF ignored
  assert.deepEqual(Buffer.from(b64('QR==', 'f')), Buffer.from('A')); // non-zero trailing bits: accepted, as Go does
  rejects('QQ'); // padding required
  rejects('QQ=A');
  rejects('Q*==');
  rejects('QQ==QQ==');
  rejects('-_8=');
});
