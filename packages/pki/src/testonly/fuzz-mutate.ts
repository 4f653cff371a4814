// Mutators of the seeded fuzz tests: they turn a valid request body into a hostile one at every
// layer Signet parses — JSON values, base64 text, PEM armour, DER structure (fuzz-der.ts), and JSON
// or PEM text nested inside strings. They live in pki's testonly because PEM and DER are this
// package's domain and both services, their only callers, already depend on it. Tests only.
import { mutateDer } from './fuzz-der.js';
import type { Rng } from './fuzz-rng.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that are wrong almost anywhere: every JSON type, edge numbers, hostile strings. */
export function hostileValue(rng: Rng): Json {
  const deep: Json = Array.from({ length: 200 }).reduce<Json>((inner) => ({ a: inner }), 1);
  return rng.pick<() => Json>([
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => -0.5,
    () => 2 ** 53,
    () => 2 ** 64,
    () => -(2 ** 63),
    () => 1e308,
    () => '',
    () => ' ',
    () => 'x',
    () => '0',
    () => '-1',
    () => 'null',
    () => '\u0000',
    () => 'a\u0000b',
    () => '\ud800',
    () => '\udfff\ud800',
    () => 'é漢字🙂',
    () => 'x'.repeat(70_000),
    () => 'QUJD',
    () => 'QUJD\n',
    () => '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
    () => [],
    () => [null],
    () => ['x', 1, {}],
    () => ({}),
    () => ({ a: 1 }),
    () => [[[[]]]],
    () => deep,
  ])();
}

/** Every path into `value` (keys and indexes), the root `[]` included. */
function pathsOf(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

/**
 * A mutated deep copy of the JSON value `value`: at one random path (the root included) a value is
 * replaced, dropped, duplicated, retyped or — for strings — mutated through every layer it encodes
 * (`mutateString`). `value` itself is not modified.
 */
export function mutateJson(value: unknown, rng: Rng): unknown {
  const root = structuredClone(value) as Json;
  const paths = pathsOf(root);
  // Prefer deep paths: the interesting parsers sit at the leaves.
  const path = rng.chance(0.7) ? paths[paths.length - 1 - rng.int(Math.ceil(paths.length / 2))]! : rng.pick(paths);
  const mutated = mutateNode(getAt(root, path), rng);
  if (path.length === 0) return mutated === DELETE ? hostileValue(rng) : mutated;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (mutated === DELETE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = mutated;
  return root;
}

const DELETE = Symbol('delete');

function getAt(root: Json, path: (string | number)[]): Json {
  let v: Json = root;
  for (const p of path) v = (v as Record<string | number, Json>)[p]!;
  return v;
}

function mutateNode(v: Json, rng: Rng): Json | typeof DELETE {
  const r = rng.next();
  if (r < 0.12) return DELETE;
  if (r < 0.3) return hostileValue(rng);
  if (r < 0.36) return [v];
  if (typeof v === 'string') return mutateString(v, rng);
  if (Array.isArray(v)) {
    return rng.pick<() => Json>([
      () => [],
      () => Array.from({ length: rng.pick([2, 11, 50]) }, () => structuredClone(v[0] ?? null)),
      () => [...v, hostileValue(rng)],
      () => v.slice(1),
      () => ({ ...v }),
    ])();
  }
  if (v !== null && typeof v === 'object') {
    return rng.pick<() => Json>([
      () => ({ ...v, [rng.pick(['extra', '', 'kind', 'spec', '__proto__x', 'x'.repeat(300)])]: hostileValue(rng) }),
      () => ({}),
      () => Object.values(v),
      () => Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), x])),
    ])();
  }
  return hostileValue(rng);
}

const BASE64_TEXT = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

/**
 * A mutation of `s` through the layers it encodes: JSON text is parsed, mutated and re-serialised;
 * PEM text goes to `mutatePem`; base64 is either damaged as text (URL-safe alphabet, lost padding,
 * whitespace, stray characters) or decoded, its content mutated (as text, or as DER) and re-encoded;
 * anything else is damaged as text.
 */
export function mutateString(s: string, rng: Rng, depth = 0): string {
  if (depth < 4 && rng.chance(0.8)) {
    const trimmed = s.trim();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && rng.chance(0.8)) {
      try {
        return JSON.stringify(mutateJson(JSON.parse(trimmed), rng));
      } catch {
        // not JSON after all
      }
    }
    if (s.includes('-----BEGIN')) return mutatePem(s, rng);
    if (s.length >= 4 && BASE64_TEXT.test(s)) {
      if (rng.chance(0.35)) return mutateBase64Text(s, rng);
      const decoded = Buffer.from(s, 'base64');
      const text = decoded.toString('utf8');
      const inner = Buffer.from(text, 'utf8').equals(decoded) && /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text)
        ? Buffer.from(mutateString(text, rng, depth + 1), 'utf8')
        : Buffer.from(mutateDer(new Uint8Array(decoded), rng));
      return inner.toString('base64');
    }
  }
  return mutateText(s, rng);
}

/** Damage to base64 text that a strict decoder must name. */
export function mutateBase64Text(s: string, rng: Rng): string {
  const at = rng.int(s.length + 1);
  return rng.pick<() => string>([
    () => s.replaceAll('+', '-').replaceAll('/', '_'),
    () => s.replace(/=+$/, ''),
    () => s + '=',
    () => s + '===',
    () => `${s.slice(0, at)}\n${s.slice(at)}`,
    () => `${s.slice(0, at)} ${s.slice(at)}`,
    () => `${s.slice(0, at)}\t${s.slice(at)}`,
    () => ` ${s}\r\n`,
    () => `${s.slice(0, at)}${rng.pick(['!', '*', '.', '=', '%', '\u00e9', '\u0000'])}${s.slice(at)}`,
    () => s.slice(0, Math.max(0, s.length - 1 - rng.int(3))),
    () => s.slice(1),
    () => Buffer.from(rng.bytes(rng.pick([0, 1, 2, 31, 32, 33, 64, 65, 512]))).toString('base64'),
    () => Buffer.from(s).toString('base64'),
    () => s.toLowerCase(),
  ])();
}

/** Damage to plain text. */
export function mutateText(s: string, rng: Rng): string {
  const at = rng.int(s.length + 1);
  return rng.pick<() => string>([
    () => '',
    () => s.slice(0, at),
    () => s + rng.pick(['\u0000', '\ud800', '🙂', ' ', '\n', '"', '\\', '%00', 'x'.repeat(10_000)]),
    () => `${s.slice(0, at)}\u0000${s.slice(at)}`,
    () => `${s.slice(0, at)}\ud800${s.slice(at)}`,
    () => s.repeat(rng.pick([2, 100])),
    () => s.toUpperCase(),
    () => ` ${s} `,
    () => (s.length === 0 ? 'x' : s.slice(0, at) + String.fromCharCode(s.charCodeAt(at % s.length) ^ 1) + s.slice(at + 1)),
  ])();
}

const PEM_BLOCK = /-----BEGIN ([^-\n]*)-----([\s\S]*?)-----END \1-----\n?/g;
const PEM_LABELS = ['PUBLIC KEY', 'CERTIFICATE', 'PRIVATE KEY', 'EC PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE REQUEST', 'X', 'public key', ''];

/**
 * A mutation of PEM text: one block's DER mutated (`mutateDer`), a label changed, END lines lost or
 * mismatched, blocks repeated (past any chain cap), headers and garbage inserted, text truncated.
 */
export function mutatePem(text: string, rng: Rng): string {
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, der: new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')) }));
  if (blocks.length === 0) return mutateText(text, rng);
  const armour = (label: string, der: Uint8Array, endLabel = label): string => {
    const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
    return `-----BEGIN ${label}-----\n${b64}\n-----END ${endLabel}-----\n`;
  };
  const i = rng.int(blocks.length);
  const b = blocks[i]!;
  const rebuild = (replacement: string) => blocks.map((x, j) => (j === i ? replacement : armour(x.label, x.der))).join('');
  return rng.pick<() => string>([
    () => rebuild(armour(b.label, mutateDer(b.der, rng))),
    () => rebuild(armour(b.label, mutateDer(b.der, rng))),
    () => rebuild(armour(b.label, mutateDer(b.der, rng))),
    () => rebuild(armour(rng.pick(PEM_LABELS), b.der)),
    () => rebuild(armour(b.label, b.der, rng.pick(PEM_LABELS))),
    () => rebuild(`-----BEGIN ${b.label}-----\n${Buffer.from(b.der).toString('base64')}\n`),
    () => rebuild(`-----BEGIN ${b.label}-----\nProc-Type: 4,ENCRYPTED\n\n${Buffer.from(b.der).toString('base64')}\n-----END ${b.label}-----\n`),
    () => rebuild(`-----BEGIN ${b.label}-----\n-----END ${b.label}-----\n`),
    () => rebuild(armour(b.label, b.der).replace('\n', '\n!!\n')),
    () => rebuild(armour(b.label, b.der).replaceAll('\n', '\r\n')),
    () => rebuild(armour(b.label, b.der).repeat(rng.pick([2, 11, 40]))),
    () => `garbage\n${text}\ntrailing garbage`,
    () => text + armour(rng.pick(PEM_LABELS), rng.bytes(rng.int(64))),
    () => text.slice(0, rng.int(text.length)),
  ])();
}

/** Raw-body damage a JSON parser must reject: truncation, stray bytes, invalid UTF-8, deep nesting. */
export function mutateJsonText(text: string, rng: Rng): Buffer {
  const at = rng.int(text.length + 1);
  return rng.pick<() => Buffer>([
    () => Buffer.from(text.slice(0, at)),
    () => Buffer.from(text + rng.pick(['}', ']', ',', 'x', ' {}'])),
    () => Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(text.slice(at))]),
    () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    () => Buffer.from(text.replace('{', '{"__proto__":{"x":1},')),
    () => Buffer.from(text.replace('{', '{"constructor":{"prototype":{"x":1}},')),
    () => Buffer.from(text.replace(/"(\w+)":/, '"$1":null,"$1":')),
    () => Buffer.from('['.repeat(rng.pick([100, 5000, 100_000])) + ']'.repeat(rng.pick([0, 100_000]))),
    () => Buffer.from('{"a":'.repeat(rng.pick([100, 20_000])) + '1' + '}'.repeat(20_000)),
    () => Buffer.from(rng.pick(['', ' ', 'null', 'true', '0', '-1', '1e999', '"x"', '[]', '[{}]', '{}', 'NaN', 'undefined', '{"a":1}{"a":2}'])),
  ])();
}

/** `s` percent-encoded byte by byte as UTF-8 (lone surrogates become U+FFFD; never throws, unlike encodeURIComponent). */
export function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
}
