// Conversion of numeric query parameters to the bigint indexes and sizes the log works with.
import { LogError } from '../errors.js';

/**
 * `value` (a query parameter the route schema has already typed as an integer) as a bigint.
 * Throws `LogError('BAD_REQUEST')` naming `name` when it is not a safe integer: the schema's
 * type coercion turns the text `Infinity` into a number that passes `integer` and `maximum`, and
 * BigInt() would then throw a RangeError (a 500) at the edge.
 */
export function queryInteger(value: number, name: string): bigint {
  if (!Number.isSafeInteger(value)) {
    throw new LogError('BAD_REQUEST', `invalid request: querystring/${name} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
  }
  return BigInt(value);
}
