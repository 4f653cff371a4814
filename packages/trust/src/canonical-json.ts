import { TrustError } from './errors.js';

/**
 * OLPC canonical JSON, the encoding TUF signs (TUF specification §4.2 "canonical JSON"; what
 * python-tuf and tuf-js verify): object keys sorted by UTF-16 code units, no insignificant
 * whitespace, strings escaping only `"` and `\`, integers only.
 * Throws `TrustError('BAD_METADATA')` for values canonical JSON cannot carry (floats, undefined
 * inside arrays, functions, bigints beyond 2^53).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new TrustError('BAD_METADATA', `canonical JSON carries integers only, got ${value}`);
      }
      return String(value);
    case 'string':
      return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      return `{${Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${canonicalJson(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
        .join(',')}}`;
    default:
      throw new TrustError('BAD_METADATA', `canonical JSON cannot carry a ${typeof value}`);
  }
}
