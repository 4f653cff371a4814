// @signet/merkle: RFC 6962/9162 Merkle math, C2SP tlog-tiles arithmetic and C2SP signed-note /
// tlog-checkpoint formats. Pure and synchronous; no I/O. Sizes and indices are bigint.
export { MerkleError, type MerkleErrorCode } from './errors.js';
export { EMPTY_ROOT, hashLeaf, hashChildren, rootOf } from './hasher.js';
export { type NodeId, nodeCoverage, rangeNodes } from './node-id.js';
export {
  type ProofNodes,
  type NodeSource,
  inclusionNodes,
  consistencyNodes,
  rehashProof,
  inclusionProof,
  consistencyProof,
} from './proof.js';
export {
  inclusionProofSize,
  consistencyProofSize,
  rootFromInclusionProof,
  verifyInclusion,
  rootFromConsistencyProof,
  verifyConsistency,
} from './verify.js';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  MAX_TILE_LEVEL,
  type TileId,
  tilePath,
  entriesPath,
  entriesPathForLogIndex,
  parseTilePath,
} from './tile-path.js';
export {
  type TileSource,
  type TileRef,
  tileWidthAt,
  tileForNode,
  nodeHashFromTiles,
  tilesForInclusion,
  inclusionProofFromTiles,
  tilesForConsistency,
  consistencyProofFromTiles,
  tilesForRoot,
  rootFromTiles,
} from './tiles.js';
export { type TileWrite, rightEdgeTiles, appendLeaves } from './tile-append.js';
export { MAX_BUNDLE_ENTRY, encodeEntryBundle, parseEntryBundle } from './entry-bundle.js';
export { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
export { type NoteSignature, MAX_NOTE_SIGNATURES, isValidKeyName, formatSignedNote, parseSignedNote } from './note.js';
export {
  NOTE_KEY_ED25519,
  NOTE_KEY_ECDSA,
  NOTE_KEY_COSIGNATURE_ED25519,
  ed25519NoteKeyId,
  ecdsaNoteKeyId,
  ed25519PublicKey,
  ed25519RawPublicKey,
  ed25519VerifierKey,
  parseVerifierKey,
  noteKeyIdOf,
  verifyNoteSignature,
  type NoteVerifier,
  openSignedNote,
} from './note-keys.js';
