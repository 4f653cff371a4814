// Rebuilds tessera's 15-entry test log (tiles, entry bundles, signed checkpoints) byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { encodeEntryBundle, parseEntryBundle } from './entry-bundle.js';
import { hashLeaf } from './hasher.js';
import { ed25519PublicKey, openSignedNote, parseVerifierKey } from './note-keys.js';
import { formatSignedNote, parseSignedNote } from './note.js';
import { appendLeaves } from './tile-append.js';
import { entriesPathForLogIndex, tilePath } from './tile-path.js';
import { hex, loadVector, parseNotePrivateKey, signNoteEd25519, toHex } from './testonly/index.js';
import type { TileSource } from './tiles.js';

// Vector file: tessera-testdata-log.json
const v = loadVector('tessera-testdata-log.json');
const entries: Uint8Array[] = v.entries.map((e: any) => hex(e.dataHex));

/** Appends the entries one at a time and records the tiles, bundles and root at every size. */
function replay() {
  const tiles = new Map<string, Uint8Array>();
  const source: TileSource = (l, i) => tiles.get(`${l}/${i}`)!;
  const roots = [appendLeaves(0n, source, []).root];
  const paths: Record<string, string> = {};
  const bundles: Record<string, string> = {};
  for (let n = 1; n <= entries.length; n++) {
    const res = appendLeaves(BigInt(n - 1), source, [hashLeaf(entries[n - 1]!)]);
    for (const t of res.tiles) {
      tiles.set(`${t.level}/${t.index}`, t.hashes);
      paths[tilePath(t.level, t.index, t.hashes.length / 32)] = toHex(t.hashes);
    }
    bundles[entriesPathForLogIndex(BigInt(n - 1), BigInt(n))] = toHex(encodeEntryBundle(entries.slice(0, n)));
    roots.push(res.root);
  }
  return { paths, bundles, roots };
}

test('tiles and entry bundles of every size are byte-identical to tessera output', () => {
  const { paths, bundles } = replay();
  assert.deepEqual(paths, v.tiles);
  assert.deepEqual(bundles, v.entryBundles);
  for (const b of Object.values(v.entryBundles) as string[]) {
    assert.equal(toHex(encodeEntryBundle(parseEntryBundle(hex(b)))), b);
  }
});

test('every checkpoint carries our root, verifies with the verifier key, and is reproduced by re-signing', () => {
  const { roots } = replay();
  const vk = parseVerifierKey(v.verifierKey);
  const pub = ed25519PublicKey(vk.key);
  const priv = parseNotePrivateKey(v.testOnlyPrivateKey.value);
  assert.deepEqual(priv.keyId, vk.keyId);
  assert.equal(v.checkpoints.length, 16);
  for (const cp of v.checkpoints) {
    const { text } = openSignedNote(cp.signedNote, [{ name: vk.name, key: pub }]);
    const c = parseCheckpoint(text);
    assert.equal(c.origin, v.origin);
    assert.equal(c.size, BigInt(cp.treeSize));
    assert.deepEqual(c.rootHash, roots[cp.treeSize]);
    const body = formatCheckpoint({ origin: v.origin, size: BigInt(cp.treeSize), rootHash: roots[cp.treeSize]!, extensions: [] });
    const sig = signNoteEd25519(body, priv.name, priv.privateKey);
    assert.equal(formatSignedNote(body, [sig]), cp.signedNote, `size ${cp.treeSize}`);
    assert.deepEqual(parseSignedNote(cp.signedNote).signatures, [sig]);
  }
});
