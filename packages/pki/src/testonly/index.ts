// @signet/pki/testonly: helpers for tests only; production code must never import this.
// --- keys ---
export { assertThrowsCode, assertRejectsCode } from './assert-code.js';
