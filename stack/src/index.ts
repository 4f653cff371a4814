// @signet/stack: the launcher behind `npm start`, also used by the end-to-end tests to boot the
// real stack in-process.
export { startStack, type RunningStack, type StackInfo } from './stack.js';
export { loadStackConfig, overlay, StackConfigError, DEFAULT_PORTS, DEFAULT_DATA_DIR, DEFAULT_HOST, type StackConfig } from './config.js';
export { ensureStackKeys, openStackSigner, readChainDer, type StackKeys } from './keys.js';
export { writeTrustMaterial, type TrustMaterial, type TrustMaterialInput } from './trust-material.js';
export { buildTrustMaterial, exportAirGap, refreshTuf, rotateTufRoot, type AdminContext, type TrustMaterialArgs } from './admin/commands.js';
