// RFC 8785 JSON Canonicalization Scheme (JCS): the bytes Rekor hashes into its Merkle leaves and signs
// in SETs. Keys are sorted by UTF-16 code units, strings and numbers are serialised exactly as
// ECMAScript's JSON.stringify does (RFC 8785 §3.2.2), and there is no whitespace.
import { LogError } from '../errors.js';

/** A JSON value that can be canonicalised. `bigint` is written as an integer literal. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

/**
 * Serialises `value` as RFC 8785 canonical JSON text. Object members whose value is `undefined` are
 * omitted (as JSON.stringify does). Throws `LogError('ENTRY_INVALID')` for non-finite numbers and
 * lone UTF-16 surrogates, which RFC 8785 §3.2.2.2 / §3.1 forbid.
 */
export function canonicalize(value: JsonValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

/** `canonicalize` encoded as UTF-8 bytes. */
export function canonicalizeToBytes(value: JsonValue): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalize(value), 'utf8'));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function write(value: JsonValue, out: string[]): void {
  if (value === null) {
    out.push('null');
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LogError('ENTRY_INVALID', `JSON number ${value} cannot be canonicalized`);
    out.push(JSON.stringify(value));
  } else if (typeof value === 'bigint') {
    out.push(value.toString(10));
  } else if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new LogError('ENTRY_INVALID', 'JSON string contains a lone UTF-16 surrogate');
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
  } else {
    // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(',');
      if (LONE_SURROGATE.test(key)) throw new LogError('ENTRY_INVALID', 'JSON key contains a lone UTF-16 surrogate');
      out.push(JSON.stringify(key), ':');
      write(value[key] as JsonValue, out);
    });
    out.push('}');
  }
}
