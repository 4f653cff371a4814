// The HTTP/1.1 wire format for the benchmark load generator: requests serialized by hand into one
// Buffer, and an incremental response parser fed with whatever the socket delivers (any split,
// several answers per chunk). Only what a loopback benchmark needs: Content-Length, chunked and
// read-until-close bodies, `Connection: close`; no pipelining on the request side, no upgrades.

/** One parsed answer. */
export interface HttpResponse {
  status: number;
  body: Buffer;
  /** The server closes the connection after this answer (`Connection: close`, HTTP/1.0, body until close). */
  close: boolean;
}

/**
 * Serializes one request: request line, Host, `Connection: keep-alive` (as node's keep-alive agent
 * sends it), `headers`, then content-type (application/json unless given) and content-length when
 * there is a body. Throws on a method, path or header node's own client would refuse (CR, LF, ...).
 */
export function encodeRequest(
  host: string,
  method: string,
  path: string,
  body: Buffer | undefined,
  headers: Record<string, string> | undefined,
): Buffer {
  if (!TOKEN.test(method) || BAD_PATH.test(path)) throw new Error(`bad request line ${JSON.stringify(`${method} ${path}`)}`);
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`;
  let hasType = false;
  if (headers !== undefined) {
    for (const name in headers) {
      const lower = name.toLowerCase();
      if (lower === 'content-length' || lower === 'host' || lower === 'connection') continue; // ours win
      const value = headers[name]!;
      if (!TOKEN.test(name) || BAD_VALUE.test(value)) throw new Error(`bad request header ${JSON.stringify(name)}`);
      if (lower === 'content-type') hasType = true;
      head += `${name}: ${value}\r\n`;
    }
  }
  if (body !== undefined) {
    if (!hasType) head += 'content-type: application/json\r\n';
    head += `content-length: ${body.length}\r\n`;
  }
  head += '\r\n';
  const headLength = head.length; // latin1: one byte per character
  const out = Buffer.allocUnsafe(headLength + (body?.length ?? 0));
  out.write(head, 0, 'latin1');
  if (body !== undefined) body.copy(out, headLength);
  return out;
}

const TOKEN = /^[!#$%&'*+.^`|~\w-]+$/; // RFC 9110 token (method, header name)
const BAD_PATH = /[^\u0021-\u00ff]/; // what node's own client refuses in a path
const BAD_VALUE = /[^\t\u0020-\u007e\u0080-\u00ff]/; // what node's own client refuses in a header value

const HEAD = 0; // reading the status line and headers
const LENGTH = 1; // reading a Content-Length body
const CHUNK_SIZE = 2; // reading a chunk-size line
const CHUNK_DATA = 3; // reading chunk bytes
const CHUNK_END = 4; // reading the CRLF after a chunk's bytes
const TRAILERS = 5; // reading trailer lines up to the empty line
const UNTIL_CLOSE = 6; // reading a body delimited by the end of the connection

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_LINE = 64 * 1024; // a head, chunk-size line or trailer this long without its end is an error
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/;

/**
 * Incremental HTTP/1.x response parser. `feed` takes bytes as they arrive and calls `onResponse`
 * for every complete answer (1xx answers are skipped); it throws on malformed input, after which
 * the parser (and its connection) must be discarded. `end` tells it the connection closed.
 */
export class ResponseParser {
  private state = HEAD;
  /** Unconsumed bytes of an incomplete head, chunk-size line, chunk end or trailer. */
  private pending: Buffer | undefined;
  private status = 0;
  private close = false;
  /** Bytes left of the Content-Length body or of the current chunk. */
  private remaining = 0;
  private parts: Buffer[] = [];

  constructor(private readonly onResponse: (r: HttpResponse) => void) {}

  /** True between the first byte of an answer and its end. */
  get midResponse(): boolean {
    return this.state !== HEAD || this.pending !== undefined;
  }

  feed(chunk: Buffer): void {
    let data = chunk;
    if (this.pending !== undefined) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let at = 0;
    while (at < data.length) {
      switch (this.state) {
        case HEAD: {
          const end = data.indexOf(CRLFCRLF, at);
          if (end < 0) return this.keep(data, at, 'response head');
          this.head(data.toString('latin1', at, end));
          at = end + 4;
          break;
        }
        case LENGTH:
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, data.length - at);
          this.parts.push(data.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            if (this.state === LENGTH) this.finish();
            else this.state = CHUNK_END;
          }
          break;
        }
        case CHUNK_SIZE: {
          const eol = data.indexOf(CRLF, at);
          if (eol < 0) return this.keep(data, at, 'chunk-size line');
          const size = chunkSize(data.toString('latin1', at, eol));
          at = eol + 2;
          if (size === 0) this.state = TRAILERS;
          else {
            this.remaining = size;
            this.state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_END: {
          if (data.length - at < 2) return this.keep(data, at, 'chunk end');
          if (data[at] !== 0x0d || data[at + 1] !== 0x0a) throw new Error('chunk data not followed by CRLF');
          at += 2;
          this.state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          const eol = data.indexOf(CRLF, at);
          if (eol < 0) return this.keep(data, at, 'trailer line');
          const empty = eol === at;
          at = eol + 2;
          if (empty) this.finish();
          break;
        }
        case UNTIL_CLOSE: {
          this.parts.push(at === 0 ? data : data.subarray(at));
          at = data.length;
          break;
        }
      }
    }
  }

  /** The connection closed: completes a read-until-close body; throws if an answer was cut short. */
  end(): void {
    if (this.state === UNTIL_CLOSE) this.finish();
    else if (this.midResponse) throw new Error('connection closed in the middle of a response');
  }

  private keep(data: Buffer, at: number, what: string): void {
    if (data.length - at > MAX_LINE) throw new Error(`${what} longer than ${MAX_LINE} bytes`);
    this.pending = data.subarray(at);
  }

  private head(text: string): void {
    const lines = text.split('\r\n');
    const m = STATUS_LINE.exec(lines[0]!);
    if (m === null) throw new Error(`bad status line ${JSON.stringify(lines[0]!.slice(0, 100))}`);
    const status = Number(m[2]);
    let close = m[1] === '0';
    let length = -1;
    let encoded = false;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`bad header line ${JSON.stringify(line.slice(0, 100))}`);
      if (colon !== 14 && colon !== 17 && colon !== 10) continue; // not one of the three names below
      const name = line.slice(0, colon).toLowerCase();
      if (name === 'content-length') {
        const value = line.slice(colon + 1).trim();
        if (!/^\d{1,15}$/.test(value)) throw new Error(`bad content-length ${JSON.stringify(value)}`);
        const n = Number(value);
        if (length >= 0 && n !== length) throw new Error('conflicting content-length headers');
        length = n;
      } else if (name === 'transfer-encoding') {
        encoded = true;
        const codings = line.slice(colon + 1).toLowerCase().split(',');
        chunked = codings[codings.length - 1]!.trim() === 'chunked';
      } else if (name === 'connection') {
        for (const token of line.slice(colon + 1).toLowerCase().split(',')) {
          const t = token.trim();
          if (t === 'close') close = true;
          else if (t === 'keep-alive' && m[1] === '0') close = false;
        }
      }
    }
    if (status < 200) return; // informational: the real answer follows
    this.status = status;
    this.close = close;
    if (status === 204 || status === 304) this.finish();
    else if (encoded) {
      // Transfer-Encoding wins over Content-Length; a final coding other than chunked runs until close.
      if (chunked) this.state = CHUNK_SIZE;
      else {
        this.close = true;
        this.state = UNTIL_CLOSE;
      }
    } else if (length === 0) this.finish();
    else if (length > 0) {
      this.remaining = length;
      this.state = LENGTH;
    } else {
      this.close = true;
      this.state = UNTIL_CLOSE;
    }
  }

  private finish(): void {
    const parts = this.parts;
    const body = parts.length === 1 ? parts[0]! : parts.length === 0 ? Buffer.alloc(0) : Buffer.concat(parts);
    const r: HttpResponse = { status: this.status, body, close: this.close };
    this.state = HEAD;
    this.parts = [];
    this.status = 0;
    this.close = false;
    this.onResponse(r);
  }
}

/** The size of a chunk-size line (hex digits, optional `;extensions`). */
function chunkSize(line: string): number {
  const semi = line.indexOf(';');
  const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
  if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error(`bad chunk size ${JSON.stringify(line.slice(0, 100))}`);
  return parseInt(hex, 16);
}
