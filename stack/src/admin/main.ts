// Operator commands for a Signet data directory (`npm run admin -- <command>`). Reads
// SIGNET_DATA_DIR (default .signet) and SIGNET_PASSWORD (for encrypted root keys).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportAirGap, refreshTuf, rotateTufRoot, type AdminContext } from './commands.js';

const USAGE = `Usage: npm run admin -- <command> [options]

  export-airgap [--out signet-trust.tar.gz]
      the TUF repository, trusted_root.json and signing_config.v0.2.json in one tarball
  tuf-refresh
      re-sign the TUF online roles (timestamp, snapshot, targets) that are close to expiry
  tuf-rotate-root --new-root-key KEY.pem [--new-root-key ...] [--threshold N] [--current-root-key KEY.pem ...]
      publish a new TUF root signed by the current root key(s) and the new ones

Environment: SIGNET_DATA_DIR (default .signet), SIGNET_PASSWORD (encrypted key files).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string', default: 'signet-trust.tar.gz' },
      'new-root-key': { type: 'string', multiple: true, default: [] },
      'current-root-key': { type: 'string', multiple: true, default: [] },
      threshold: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (!command || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const ctx: AdminContext = {
    dataDir: resolve(process.env.SIGNET_DATA_DIR ?? '.signet'),
    now: () => new Date(),
    out: (line) => process.stdout.write(`${line}\n`),
  };
  switch (command) {
    case 'export-airgap':
      await exportAirGap(ctx, resolve(values.out));
      return 0;
    case 'tuf-refresh':
      await refreshTuf(ctx);
      return 0;
    case 'tuf-rotate-root': {
      const threshold = Number(values.threshold);
      if (values['new-root-key'].length === 0 || !Number.isInteger(threshold) || threshold < 1) {
        process.stderr.write('tuf-rotate-root needs at least one --new-root-key and a positive --threshold\n');
        return 2;
      }
      await rotateTufRoot(ctx, {
        currentRootKeys: values['current-root-key'],
        newRootKeys: values['new-root-key'],
        threshold,
        ...(process.env.SIGNET_PASSWORD !== undefined ? { password: process.env.SIGNET_PASSWORD } : {}),
      });
      return 0;
    }
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`signet admin: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
