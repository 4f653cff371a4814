// C2SP tlog-tiles path parsing: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, where N is
// split into 3-digit groups, all but the last prefixed with `x`, and W is 1..255.
import { LogError } from '../errors.js';

/** A parsed tile or entry-bundle path; `level` is 'entries' for bundles, width 0 means full (256). */
export interface TilePath {
  level: number | 'entries';
  index: bigint;
  width: number;
}

const MAX_INDEX = (1n << 64n) - 1n;

/**
 * Parses the part after `tile/`. Throws `LogError('BAD_REQUEST')` naming the problem for anything
 * that is not a canonical tile path.
 */
export function parseTilePath(rest: string): TilePath {
  const bad = (why: string): never => {
    throw new LogError('BAD_REQUEST', `tile path ${JSON.stringify('tile/' + rest)}: ${why}`);
  };
  const slash = rest.indexOf('/');
  if (slash < 0) bad('expected tile/<level>/<index>');
  const levelText = rest.slice(0, slash);
  let level: number | 'entries';
  if (levelText === 'entries') level = 'entries';
  else {
    if (!/^(?:0|[1-9][0-9]?)$/.test(levelText) || Number(levelText) > 63) bad('level must be 0..63 or "entries"');
    level = Number(levelText);
  }
  let indexText = rest.slice(slash + 1);
  let width = 0;
  const p = indexText.indexOf('.p/');
  if (p >= 0) {
    const w = indexText.slice(p + 3);
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) > 255) bad('partial width must be 1..255');
    width = Number(w);
    indexText = indexText.slice(0, p);
  }
  const groups = indexText.split('/');
  let digits = '';
  groups.forEach((g, i) => {
    const last = i === groups.length - 1;
    if (!(last ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(g)) bad('index must be 3-digit groups, all but the last prefixed with "x"');
    digits += last ? g : g.slice(1);
  });
  const index = BigInt(digits);
  if (index > MAX_INDEX) bad('index is out of range');
  return { level, index, width };
}

/** Formats N as tlog-tiles groups, e.g. 1234067 → `x001/x234/067`. */
export function formatTileIndex(n: bigint): string {
  let s = n.toString(10);
  s = s.padStart(Math.ceil(s.length / 3) * 3, '0');
  const groups = s.match(/.{3}/g)!;
  return groups.map((g, i) => (i < groups.length - 1 ? 'x' + g : g)).join('/');
}
