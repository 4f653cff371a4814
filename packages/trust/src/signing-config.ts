import { timeRange, type ValidFor } from './trusted-root.js';

/**
 * protobuf-specs `SigningConfig` v0.2 (`signing_config.v0.2.json`): which CA, OIDC provider, logs and
 * TSAs a signing client should use. Written beside trusted_root.json and published as a TUF target.
 */
export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

/** One service endpoint of a signing config. */
export interface ServiceEntry {
  url: string;
  /** Fulcio API major version (1 for `/api/v1`+`/api/v2` Fulcio), Rekor 1 or 2, TSA 1, OIDC 1. */
  majorApiVersion: number;
  validFor: ValidFor;
  operator: string;
}

export interface SigningConfigInput {
  caUrls: ServiceEntry[];
  oidcUrls: ServiceEntry[];
  rekorTlogUrls: ServiceEntry[];
  tsaUrls: ServiceEntry[];
}

const service = (s: ServiceEntry) => ({
  url: s.url.replace(/\/+$/, ''),
  majorApiVersion: s.majorApiVersion,
  validFor: timeRange(s.validFor),
  operator: s.operator,
});

/**
 * Builds a protobuf-JSON `SigningConfig` v0.2. URLs lose trailing slashes (sigstore-js appends paths by
 * concatenation). Logs are selected with `ANY` (one log is enough); TSAs likewise.
 */
export function buildSigningConfig(input: SigningConfigInput): Record<string, unknown> {
  return {
    mediaType: SIGNING_CONFIG_MEDIA_TYPE,
    caUrls: input.caUrls.map(service),
    oidcUrls: input.oidcUrls.map(service),
    rekorTlogUrls: input.rekorTlogUrls.map(service),
    rekorTlogConfig: { selector: 'ANY' },
    tsaUrls: input.tsaUrls.map(service),
    tsaConfig: { selector: 'ANY' },
  };
}
