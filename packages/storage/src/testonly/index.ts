/** Test helpers of `@signet/storage`. Never import from production code. */
export { testDrivers, type TestDriver } from './test-drivers.js';
export { FaultyStore, type FaultyMethod, type FaultTiming } from './faulty-store.js';
export { assertRejectsCode } from './assert-code.js';
