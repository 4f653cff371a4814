/** Test helpers of the tlog service. Never import from production code. */
export { checkLog, verifyCheckpoint, type CheckpointVerifierKey } from './check-log.js';
export { FakeClock } from './fake-clock.js';
export { GatedStore } from './gated-store.js';
export { tilesOf, type ComputedTile } from './tiles-of.js';
export { assertLogError, verifierKeyOf, testBody } from './harness.js';
