// @signet/pki/testonly: helpers for tests only; production code must never import this.
// --- keys ---
export { assertThrowsCode, assertRejectsCode } from './assert-code.js';
export { referenceSign, referenceVerify, encodeEcdsaSignature, generator, multiply, type CurveName } from './ecdsa-reference.js';
export { ed25519ReferenceSign, ed25519SeedOf, ed25519SignWithNonce, ed25519TorsionPoints, expandEd25519Seed, type Ed25519Expanded } from './ed25519-reference.js';
export { rsaTestKey } from './fixtures.js';
export { fixedEd25519Key, fixedNonceP256Sign, fixedP256Key } from './fixed-keys.js';
export { softhsmUnavailableReason, softhsmModulePath, createSoftHsm, generateTokenKey, tryExtractPrivateKey, type SoftHsm, type TokenKeyType } from './softhsm.js';
// --- fuzzing ---
export { createRng, type Rng } from './fuzz-rng.js';
export { mutateDer, mutateSigned } from './fuzz-der.js';
export { hostileValue, mutateJson, mutateJsonText, mutatePem, mutateString, mutateText, percentEncode } from './fuzz-mutate.js';
export { createFuzzer, fuzzRoute, type FuzzRequest, type FuzzResponse, type MessageOf } from './fuzz-run.js';
