import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRequest, ResponseParser, type HttpResponse } from './http1.js';

const text = (s: string) => Buffer.from(s, 'latin1');

/** Feeds `parts` to a fresh parser, then ends the connection if `end`; returns what it parsed. */
function parse(parts: Buffer[], end = false): HttpResponse[] {
  const out: HttpResponse[] = [];
  const p = new ResponseParser((r) => out.push(r));
  for (const part of parts) p.feed(part);
  if (end) p.end();
  return out;
}

/** Every way to cut `wire` in two, plus one byte at a time. */
function splits(wire: Buffer): Buffer[][] {
  const ways: Buffer[][] = [];
  for (let i = 0; i <= wire.length; i++) ways.push([wire.subarray(0, i), wire.subarray(i)]);
  ways.push(Array.from(wire, (b) => Buffer.from([b])));
  return ways;
}

const plain = (r: HttpResponse) => ({ status: r.status, body: r.body.toString('latin1'), close: r.close });

/** `wire` parses to `want` however the socket cuts it. */
function assertEverySplit(wire: Buffer, want: ReturnType<typeof plain>[]): void {
  for (const parts of splits(wire)) assert.deepEqual(parse(parts).map(plain), want);
}

test('a Content-Length answer parses the same whatever byte boundaries the socket cuts it at', () => {
  const wire = text('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"hello":"x"}');
  assertEverySplit(wire, [{ status: 200, body: '{"hello":"x"}', close: false }]);
});

test('a chunked answer (extensions, a trailer) parses the same at every byte boundary', () => {
  const wire = text(
    'HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n' +
      '5\r\nhello\r\n' +
      '1;name=value\r\n,\r\n' +
      'A\r\n0123456789\r\n' +
      '0\r\nX-Trailer: yes\r\n\r\n',
  );
  assertEverySplit(wire, [{ status: 201, body: 'hello,0123456789', close: false }]);
});

test('several answers on one connection, in one chunk and split at every byte boundary', () => {
  const wire = text(
    'HTTP/1.1 100 Continue\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc' +
      'HTTP/1.1 204 No Content\r\n\r\n' +
      'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n' +
      'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy',
  );
  assertEverySplit(wire, [
    { status: 200, body: 'abc', close: false },
    { status: 204, body: '', close: false },
    { status: 404, body: '', close: false },
    { status: 200, body: 'de', close: false },
    { status: 503, body: 'busy', close: true },
  ]);
});

test('Connection: close and HTTP/1.0 mark the answer as the last on its connection', () => {
  assert.equal(parse([text('HTTP/1.1 200 OK\r\nconnection: Close\r\ncontent-length: 0\r\n\r\n')])[0]!.close, true);
  assert.equal(parse([text('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')])[0]!.close, true);
  assert.equal(parse([text('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')])[0]!.close, false);
});

test('a body with neither length nor chunking runs until the connection closes', () => {
  const wire = text('HTTP/1.1 200 OK\r\n\r\nall of it');
  for (const parts of splits(wire)) {
    assert.deepEqual(parse(parts), []);
    assert.deepEqual(parse(parts, true).map(plain), [{ status: 200, body: 'all of it', close: true }]);
  }
});

test('a connection closed in the middle of an answer is an error; between answers it is not', () => {
  const wire = text('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc');
  for (let i = 1; i <= wire.length; i++) {
    assert.throws(() => parse([wire.subarray(0, i)], true), /closed in the middle of a response/);
  }
  assert.deepEqual(parse([], true), []);
  assert.equal(parse([text('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')], true).length, 1);
});

test('malformed answers are errors naming the problem', () => {
  const bad: [string, RegExp][] = [
    ['HTTP/2 200 OK\r\n\r\n', /bad status line "HTTP\/2 200 OK"/],
    ['HTTP/1.1 20 OK\r\n\r\n', /bad status line/],
    ['HTTP/1.1 200OK\r\n\r\n', /bad status line/],
    ['<html>hello</html>\r\n\r\n', /bad status line/],
    ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', /bad header line "no colon here"/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n', /bad content-length "12x"/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /conflicting content-length/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size "zz"/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n', /chunk data not followed by CRLF/],
  ];
  for (const [wire, message] of bad) assert.throws(() => parse([text(wire)]), message, wire);
  assert.throws(() => parse([Buffer.alloc(70 * 1024, 0x41)]), /response head longer than/);
});

test('requests are serialized with Host, and with content-type and content-length only when there is a body', () => {
  assert.equal(
    encodeRequest('127.0.0.1:3000', 'GET', '/api/v1/log/entries?logIndex=7', undefined, undefined).toString('latin1'),
    'GET /api/v1/log/entries?logIndex=7 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\n\r\n',
  );
  const body = Buffer.from('{"a":1}');
  assert.equal(
    encodeRequest('h', 'POST', '/x', body, { Authorization: 'Bearer t' }).toString('latin1'),
    'POST /x HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nAuthorization: Bearer t\r\n' +
      'content-type: application/json\r\ncontent-length: 7\r\n\r\n{"a":1}',
  );
  assert.equal(
    encodeRequest('h', 'POST', '/x', body, { 'Content-Type': 'application/pem-certificate-chain', 'content-length': '99' }).toString('latin1'),
    'POST /x HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nContent-Type: application/pem-certificate-chain\r\n' +
      'content-length: 7\r\n\r\n{"a":1}',
  );
});

test('a request whose path or header would break the head is refused', () => {
  assert.throws(() => encodeRequest('h', 'GET', '/x HTTP/1.1\r\nX: y', undefined, undefined), /bad request line/);
  assert.throws(() => encodeRequest('h', 'GET', '/a b', undefined, undefined), /bad request line/);
  assert.throws(() => encodeRequest('h', 'GET', '/x', undefined, { 'X-A': 'v\r\nX-B: w' }), /bad request header "X-A"/);
  assert.throws(() => encodeRequest('h', 'GET', '/x', undefined, { 'X A': 'v' }), /bad request header "X A"/);
});
