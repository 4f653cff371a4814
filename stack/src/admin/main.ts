// Operator commands for a Signet data directory (`npm run admin -- <command>`). Reads
// SIGNET_DATA_DIR (default .signet) and SIGNET_PASSWORD (for encrypted root keys).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTrustMaterial, exportAirGap, refreshTuf, rotateTufRoot, type AdminContext } from './commands.js';

const USAGE = `Usage: npm run admin -- <command> [options]

  export-airgap [--out signet-trust.tar.gz]
      the TUF repository, trusted_root.json and signing_config.v0.2.json in one tarball
  tuf-refresh
      re-sign the TUF online roles (timestamp, snapshot, targets) that are close to expiry
  tuf-rotate-root --new-root-key KEY.pem [--new-root-key ...] [--threshold N] [--current-root-key KEY.pem ...]
      publish a new TUF root signed by the current root key(s) and the new ones
  trust-material [--out trust] --ca-url URL --ca-chain CHAIN.pem --tlog-url URL --tlog-key LOG.pub
                 [--ctlog-url URL --ctlog-key CT.pub] [--oidc-url URL] --tuf-root-key KEY.pem --tuf-online-key KEY.pem
      trusted_root.json, signing_config.v0.2.json and a TUF repository for separately run services

Environment: SIGNET_DATA_DIR (default .signet), SIGNET_PASSWORD (encrypted key files).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      'new-root-key': { type: 'string', multiple: true, default: [] },
      'current-root-key': { type: 'string', multiple: true, default: [] },
      threshold: { type: 'string', default: '1' },
      'ca-url': { type: 'string' },
      'ca-chain': { type: 'string' },
      'tlog-url': { type: 'string' },
      'tlog-key': { type: 'string' },
      'ctlog-url': { type: 'string' },
      'ctlog-key': { type: 'string' },
      'oidc-url': { type: 'string' },
      'tuf-root-key': { type: 'string' },
      'tuf-online-key': { type: 'string' },
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
      await exportAirGap(ctx, resolve(values.out ?? 'signet-trust.tar.gz'));
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
    case 'trust-material': {
      const need = ['ca-url', 'ca-chain', 'tlog-url', 'tlog-key', 'tuf-root-key', 'tuf-online-key'] as const;
      const missing = need.filter((k) => typeof values[k] !== 'string');
      if (missing.length > 0 || (values['ctlog-url'] === undefined) !== (values['ctlog-key'] === undefined)) {
        process.stderr.write(`trust-material needs ${missing.map((m) => `--${m}`).join(', ') || '--ctlog-url and --ctlog-key together'}\n`);
        return 2;
      }
      await buildTrustMaterial(ctx, {
        out: resolve(values.out ?? 'trust'),
        caUrl: values['ca-url'] as string,
        caChain: values['ca-chain'] as string,
        tlogUrl: values['tlog-url'] as string,
        tlogKey: values['tlog-key'] as string,
        ...(values['ctlog-url'] ? { ctlogUrl: values['ctlog-url'], ctlogKey: values['ctlog-key'] as string } : {}),
        ...(values['oidc-url'] ? { oidcUrl: values['oidc-url'] } : {}),
        tufRootKey: values['tuf-root-key'] as string,
        tufOnlineKey: values['tuf-online-key'] as string,
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
