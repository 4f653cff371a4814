// @signet/trust: the trust material clients need — TrustedRoot, SigningConfig, a TUF repository and
// the air-gap bundle. The only front door of the package.
export { TrustError, type TrustErrorCode } from './errors.js';
export { canonicalJson } from './canonical-json.js';
export {
  buildTrustedRoot,
  logIdOf,
  timeRange,
  TRUSTED_ROOT_MEDIA_TYPE_V01,
  TRUSTED_ROOT_MEDIA_TYPE_V02,
  type CaTrust,
  type KeyDetails,
  type LogTrust,
  type TrustedRootInput,
  type ValidFor,
} from './trusted-root.js';
export { buildSigningConfig, SIGNING_CONFIG_MEDIA_TYPE, type ServiceEntry, type SigningConfigInput } from './signing-config.js';
export { TufRepository, DEFAULT_TUF_LIFETIMES, type TufLifetimes, type TufRepositoryOptions } from './tuf/repository.js';
export { keyIdOf, tufKeyOf, verifyThreshold, type Envelope, type RootSigned, type TufKey } from './tuf/metadata.js';
export { writeAirGapBundle, AIR_GAP_FILES, type AirGapBundleInput } from './export.js';
