// Running a seeded fuzz test: requests made case by case from their own PRNG, each answer checked
// against the rule that a bad input gets a 4xx with a JSON message (never a 5xx), and the broken
// cases reported so that each replays alone. Tests only.
import assert from 'node:assert/strict';
import { createRng, type Rng } from './fuzz-rng.js';

/** A response as `app.inject` returns it (only what the checks read). */
export interface FuzzResponse {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}

/** Where an error body keeps its message: a field name, or a function reading it from the parsed body. */
export type MessageOf = string | ((body: Record<string, unknown>) => unknown);

/**
 * What is wrong with a fuzz response, or undefined: a 5xx, or a 4xx whose body is not a JSON object
 * with a non-empty string message (`messageOf`). 2xx and 3xx pass (the mutated input may be valid).
 */
export function fuzzResponseProblem(res: FuzzResponse, messageOf: MessageOf): string | undefined {
  if (res.statusCode >= 500) return `status ${res.statusCode}: ${res.body.slice(0, 300)}`;
  if (res.statusCode < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `status ${res.statusCode} with a body that is not JSON: ${res.body.slice(0, 300)}`;
  }
  if (typeof body !== 'object' || body === null) return `status ${res.statusCode} with a body that is not a JSON object: ${res.body.slice(0, 300)}`;
  const fields = body as Record<string, unknown>;
  const message = typeof messageOf === 'string' ? fields[messageOf] : messageOf(fields);
  if (typeof message !== 'string' || message.trim() === '') return `status ${res.statusCode} without a message: ${res.body.slice(0, 300)}`;
  return undefined;
}

/** A request as `app.inject` takes it: what the fuzz tests build and report. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

/** One line describing `r` for a failure report. */
export function describeRequest(r: FuzzRequest): string {
  const headers = r.headers === undefined ? '' : excerpt(JSON.stringify(r.headers), 200);
  return `${r.method} ${excerpt(r.url, 200)} ${headers} ${r.payload === undefined ? '' : excerpt(r.payload)}`;
}

/**
 * A fuzz-test step bound to one app: `fuzz(name, count, make)` runs `fuzzRoute` with `seed` over
 * `send` and fails the test listing the first five cases that broke the 4xx rule.
 */
export function createFuzzer(opts: {
  seed: number;
  send: (request: FuzzRequest) => Promise<FuzzResponse>;
  messageOf: MessageOf;
}): (name: string, count: number, make: (rng: Rng) => FuzzRequest | Promise<FuzzRequest>) => Promise<void> {
  return async (name, count, make) => {
    const failures = await fuzzRoute({ ...opts, name, count, make, describe: describeRequest });
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${count} cases broke the 4xx rule`);
  };
}

/** A short, printable excerpt of a request payload for a failure report. */
export function excerpt(payload: unknown, max = 400): string {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('latin1') : JSON.stringify(payload) ?? String(payload);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/**
 * Sends `count` requests made by `make` — case i from its own PRNG seeded with (seed, name, i), so a
 * reported case replays alone — and returns a line per case whose answer breaks the rule (see
 * `fuzzResponseProblem`) or whose send threw. `describe` renders a request for the report.
 */
export async function fuzzRoute<R>(opts: {
  name: string;
  seed: number;
  count: number;
  make: (rng: Rng) => R | Promise<R>;
  send: (request: R) => Promise<FuzzResponse>;
  messageOf: MessageOf;
  describe: (request: R) => string;
}): Promise<string[]> {
  const failures: string[] = [];
  let nameHash = 0;
  for (const ch of opts.name) nameHash = (Math.imul(nameHash, 31) + ch.charCodeAt(0)) >>> 0;
  for (let i = 0; i < opts.count; i++) {
    const request = await opts.make(createRng((opts.seed ^ nameHash) + i * 0x9e3779b1));
    let problem: string | undefined;
    try {
      problem = fuzzResponseProblem(await opts.send(request), opts.messageOf);
    } catch (e) {
      problem = `the request threw ${String(e)}`;
    }
    if (problem !== undefined) failures.push(`${opts.name} case ${i}: ${opts.describe(request)} → ${problem}`);
  }
  return failures;
}
