import { mkdtemp, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';

/**
 * The air-gap bundle: one gzipped tarball holding everything an offline client needs to trust a
 * Signet deployment — the TUF repository (`tuf/`, usable as a file mirror, with `tuf/1.root.json` as
 * the initial trusted root), `trusted_root.json` and `signing_config.v0.2.json`.
 */
export interface AirGapBundleInput {
  /** The TUF repository directory to copy. */
  tufDir: string;
  trustedRoot: Uint8Array;
  signingConfig: Uint8Array;
  /** Where to write the `.tar.gz`. */
  out: string;
}

/** Files at the top of the bundle, beside the `tuf/` directory. */
export const AIR_GAP_FILES = ['trusted_root.json', 'signing_config.v0.2.json', 'README.txt'] as const;

const README = `Signet trust bundle for offline verification.

tuf/                      a TUF repository: serve it (or point a Signet client at it) as a mirror,
                          starting from tuf/1.root.json as the trusted initial root
trusted_root.json         the Sigstore TrustedRoot (CA chain, transparency and CT log keys)
signing_config.v0.2.json  the Sigstore SigningConfig (service URLs)

  signet trust init --mirror ./tuf --root ./tuf/1.root.json
  signet verify-blob FILE --bundle FILE.sigstore.json --trusted-root trusted_root.json ...
`;

/** Writes the air-gap tarball to `input.out`; returns its path. */
export async function writeAirGapBundle(input: AirGapBundleInput): Promise<string> {
  const staging = await mkdtemp(join(tmpdir(), 'signet-airgap-'));
  try {
    await cp(input.tufDir, join(staging, 'tuf'), { recursive: true, filter: (src) => !src.includes('.tmp-') });
    await writeFile(join(staging, 'trusted_root.json'), input.trustedRoot);
    await writeFile(join(staging, 'signing_config.v0.2.json'), input.signingConfig);
    await writeFile(join(staging, 'README.txt'), README);
    await create({ gzip: true, file: input.out, cwd: staging, portable: true }, ['tuf', ...AIR_GAP_FILES]);
    return input.out;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
