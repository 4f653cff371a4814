// Test-only helpers of @signet/merkle ('@signet/merkle/testonly'). Never import from production code.
export { ReferenceTree } from './reference.js';
export { TESTDATA_DIR, vectorFiles, loadVector, hex, toHex, assertThrowsCode } from './vectors.js';
export { parseNotePrivateKey, signNoteEd25519 } from './note-signer.js';
