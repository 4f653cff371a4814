// Structure-aware DER mutation for the seeded fuzz tests: the TLV tree is parsed (looking inside
// OCTET and BIT STRINGs too), one node is damaged, and the tree is re-encoded with correct lengths,
// so that the damage reaches the parsers deep inside a certificate or CSR instead of failing at the
// outer length. Tests only.
import type { Rng } from './fuzz-rng.js';

/** A DER TLV node: single-byte tag; `children` when constructed or encapsulating (`bitString` keeps the unused-bits byte). */
interface DerNode {
  tag: number;
  content: Uint8Array;
  children?: DerNode[];
  bitStringPad?: number;
}

function parseDer(bytes: Uint8Array, start = 0, end = bytes.length): DerNode[] | undefined {
  const nodes: DerNode[] = [];
  let at = start;
  while (at < end) {
    const tag = bytes[at++]!;
    if ((tag & 0x1f) === 0x1f || at >= end) return undefined;
    let len = bytes[at++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3 || at + n > end) return undefined;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + bytes[at++]!;
    }
    if (at + len > end) return undefined;
    const content = bytes.subarray(at, at + len);
    const node: DerNode = { tag, content };
    if (tag & 0x20) {
      const children = parseDer(bytes, at, at + len);
      if (children === undefined) return undefined;
      node.children = children;
    } else if (tag === 0x04 && len > 1) {
      const inner = parseDer(bytes, at, at + len);
      if (inner !== undefined) node.children = inner;
    } else if (tag === 0x03 && len > 2) {
      const inner = parseDer(bytes, at + 1, at + len);
      if (inner !== undefined) {
        node.children = inner;
        node.bitStringPad = bytes[at]!;
      }
    }
    nodes.push(node);
    at += len;
  }
  return nodes;
}

function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

function encodeDer(nodes: DerNode[]): Uint8Array {
  const parts: number[] = [];
  for (const n of nodes) {
    let content = n.content;
    if (n.children) {
      const inner = encodeDer(n.children);
      content = n.bitStringPad === undefined ? inner : Uint8Array.of(n.bitStringPad, ...inner);
    }
    parts.push(n.tag, ...encodeLength(content.length), ...content);
  }
  return Uint8Array.from(parts);
}

function allNodes(nodes: DerNode[], out: { node: DerNode; siblings: DerNode[] }[] = []): { node: DerNode; siblings: DerNode[] }[] {
  for (const node of nodes) {
    out.push({ node, siblings: nodes });
    if (node.children) allNodes(node.children, out);
  }
  return out;
}

/**
 * A mutation of DER bytes. Mostly structural: the TLV tree is parsed (looking inside OCTET and BIT
 * STRINGs too), one node is emptied, filled with random bytes, retagged, dropped, repeated,
 * re-typed as a huge, negative or empty INTEGER, an unterminated OID or invalid UTF-8, and the tree
 * is re-encoded with correct lengths. Otherwise the bytes are damaged raw (flipped, truncated,
 * extended, given an indefinite or absurd length).
 */
export function mutateDer(der: Uint8Array, rng: Rng): Uint8Array {
  const tree = rng.chance(0.75) ? parseDer(der) : undefined;
  if (tree !== undefined && tree.length > 0) {
    const { node, siblings } = rng.pick(allNodes(tree));
    const leaf = (content: Uint8Array, tag = node.tag): void => {
      node.tag = tag;
      node.content = content;
      delete node.children;
      delete node.bitStringPad;
    };
    rng.pick<() => void>([
      () => leaf(new Uint8Array(0)),
      () => leaf(rng.bytes(1 + rng.int(40))),
      () => (node.tag = rng.pick([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x30, 0x31, 0x80, 0xa0, 0xa3, 0xff])),
      () => siblings.splice(siblings.indexOf(node), 1),
      () => siblings.splice(siblings.indexOf(node), 0, ...Array.from({ length: rng.pick([1, 2, 20]) }, () => structuredClone(node))),
      () => leaf(Uint8Array.of(0x7f, ...rng.bytes(rng.pick([8, 40, 600]))), 0x02),
      () => leaf(Uint8Array.of(0xff, 0xff), 0x02),
      () => leaf(Uint8Array.of(0x00, 0x00, 0x01), 0x02),
      () => leaf(Uint8Array.of(0x2a, 0x86, 0x48, 0x86), 0x06),
      () => leaf(Uint8Array.of(0x80, 0x01), 0x06),
      () => leaf(Uint8Array.of(0xc3, 0x28, 0xff, 0xfe), rng.pick([0x0c, 0x13, 0x16, 0x1e])),
      () => leaf(Buffer.from('2026022913610Z'), rng.pick([0x17, 0x18])),
      () => {
        const copy = structuredClone(node);
        leaf(new Uint8Array(0), 0x30);
        node.children = [copy];
      },
    ])();
    return encodeDer(tree);
  }
  const at = rng.int(der.length + 1);
  const out = Uint8Array.from(der);
  return rng.pick<() => Uint8Array>([
    () => {
      if (out.length > 0) out[at % out.length]! ^= 1 << rng.int(8);
      return out;
    },
    () => der.subarray(0, at),
    () => Uint8Array.of(...der, ...rng.bytes(1 + rng.int(16))),
    () => Uint8Array.of(...der.subarray(0, 1), 0x80, ...der.subarray(2)),
    () => Uint8Array.of(...der.subarray(0, 1), 0x84, 0xff, 0xff, 0xff, 0xff, ...der.subarray(2)),
    () => Uint8Array.of(...der.subarray(0, 1), 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...der.subarray(2)),
    () => rng.bytes(rng.int(100)),
    () => new Uint8Array(0),
  ])();
}

/**
 * A signed DER object (certificate, CSR: SEQUENCE {toBeSigned, algorithm, BIT STRING}) whose
 * to-be-signed part is mutated by `mutateDer` and signed again with `sign`, so that the mutation
 * gets past the signature check to the code behind it. `der` must be well-formed.
 */
export async function mutateSigned(der: Uint8Array, rng: Rng, sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
  const [outer] = parseDer(der) ?? [];
  const [tbs, algorithm] = outer?.children ?? [];
  if (tbs === undefined || algorithm === undefined) throw new Error('mutateSigned: not a signed DER object');
  const mutated = mutateDer(encodeDer([tbs]), rng);
  const signature = await sign(mutated);
  const bitString: DerNode = { tag: 0x03, content: Uint8Array.of(0, ...signature) };
  const body = [...mutated, ...encodeDer([algorithm, bitString])];
  return Uint8Array.of(0x30, ...encodeLength(body.length), ...body);
}
