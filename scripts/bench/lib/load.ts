// A closed-loop HTTP load generator for loopback benchmarks: `concurrency` clients on keep-alive
// connections, each sending its next request when the previous answer arrived. Latencies are
// recorded (and counted for throughput) for requests that complete inside the measured window.
import { Agent, request as httpRequest } from 'node:http';

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

function send(agent: Agent, base: URL, r: BenchRequest): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = r.body.length;
    }
    const req = httpRequest(
      { agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Runs the load; resolves when every client has stopped after the window. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const base = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
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
        const res = await send(agent, base, req);
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
  agent.destroy();
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
