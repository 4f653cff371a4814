// A closed-loop HTTP load generator for loopback benchmarks: `concurrency` clients, each on its own
// persistent keep-alive connection, each sending its next request when the previous answer arrived.
// Latencies are recorded (and counted for throughput) for requests that complete inside the
// measured window. The transport is a minimal HTTP/1.1 client on node:net sockets (./http1.ts):
// node:http's client cost 190-290 µs of CPU per loopback request, this one 70-95 µs, and the
// load generator shares the cores with the server it measures.
import { connect, type Socket } from 'node:net';
import { encodeRequest, ResponseParser, type HttpResponse } from './http1.js';

/** One request to send. */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
}

/** Options of `runLoad`. */
export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** The next request of client `client` (may be async: e.g. signing inside the window). */
  next(client: number): BenchRequest | Promise<BenchRequest>;
  /** Returns an error text for a bad answer, undefined for a good one. */
  check(status: number, body: Buffer, req: BenchRequest): string | undefined;
  /** Called once when the measured window opens (e.g. to take CPU snapshots). */
  onWindowStart?(): void;
  /** Called once when the measured window closes. */
  onWindowEnd?(): void;
}

/** What one run measured (latencies in ms). */
export interface LoadResult {
  requests: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The q-quantile (0..1) of sorted values (nearest rank). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * One keep-alive connection with at most one request in flight. It connects on first use and again
 * after the server closed it (`Connection: close`, idle timeout, error); a request cut short by a
 * close or error is rejected, not retried.
 */
class Connection {
  private socket: Socket | undefined;
  private waiting: { resolve(r: HttpResponse): void; reject(err: Error): void } | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  send(bytes: Buffer): Promise<HttpResponse> {
    if (this.waiting !== undefined) return Promise.reject(new Error('a request is already in flight on this connection'));
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(bytes);
    });
  }

  destroy(): void {
    this.socket?.destroy();
    this.drop(new Error('connection destroyed'));
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    const parser = new ResponseParser((r) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (r.close) {
        this.drop(undefined);
        socket.destroy();
      }
      if (w === undefined) throw new Error(`unexpected response (status ${r.status}) with no request in flight`);
      w.resolve(r);
    });
    this.socket = socket;
    let failure: Error | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return; // dropped: whatever still arrives is of no use
      try {
        parser.feed(chunk);
      } catch (err) {
        this.drop(err as Error);
        socket.destroy();
      }
    });
    socket.on('error', (err) => (failure = err));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      if (failure !== undefined) return this.drop(failure);
      try {
        parser.end(); // a body delimited by the close is complete now
        this.drop(new Error('socket hang up'));
      } catch (err) {
        this.drop(err as Error);
      }
    });
    return socket;
  }

  /** Forgets the socket (the next send connects anew) and rejects the request in flight, if any. */
  private drop(err: Error | undefined): void {
    this.socket = undefined;
    const w = this.waiting;
    this.waiting = undefined;
    if (w !== undefined) w.reject(err ?? new Error('connection closed'));
  }
}

/** Runs the load; resolves when every client has stopped after the window. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const base = new URL(o.url);
  if (base.protocol !== 'http:') throw new Error(`runLoad speaks plain http only, not ${base.protocol}`);
  const host = base.hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 literal loses its brackets
  const port = Number(base.port || 80);
  const connections = Array.from({ length: o.concurrency }, () => new Connection(host, port));
  const t0 = performance.now();
  const windowStart = t0 + o.warmupMs;
  const windowEnd = windowStart + o.durationMs;
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let started = false;
  let ended = false;
  const mark = () => {
    const now = performance.now();
    if (!started && now >= windowStart) {
      started = true;
      o.onWindowStart?.();
    }
    if (!ended && now >= windowEnd) {
      ended = true;
      o.onWindowEnd?.();
    }
  };
  const timerStart = setTimeout(mark, o.warmupMs);
  const timerEnd = setTimeout(mark, o.warmupMs + o.durationMs);
  const client = async (c: number) => {
    while (performance.now() < windowEnd) {
      const req = await o.next(c);
      const begin = performance.now();
      let problem: string | undefined;
      try {
        const res = await connections[c]!.send(encodeRequest(base.host, req.method, req.path, req.body, req.headers));
        problem = o.check(res.status, res.body, req);
      } catch (err) {
        problem = `transport: ${(err as Error).message}`;
      }
      const end = performance.now();
      mark(); // timers may fire a little early: the window's edges are also checked here
      if (end >= windowStart && end <= windowEnd) {
        if (problem !== undefined) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(problem);
        } else {
          if (n === latencies.length) {
            const bigger = new Float64Array(n * 2);
            bigger.set(latencies);
            latencies = bigger;
          }
          latencies[n++] = end - begin;
        }
      } else if (problem !== undefined && errorSamples.length < 5) {
        errorSamples.push(`(outside window) ${problem}`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, c) => client(c)));
  clearTimeout(timerStart);
  clearTimeout(timerEnd);
  mark();
  for (const conn of connections) conn.destroy();
  const sorted = latencies.slice(0, n).sort();
  const seconds = o.durationMs / 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    requests: n,
    errors,
    errorSamples,
    seconds,
    perSecond: n / seconds,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: n > 0 ? sorted[n - 1]! : NaN,
    mean: n > 0 ? sum / n : NaN,
  };
}
