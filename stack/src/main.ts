// `npm start`: the whole Signet stack on one machine — the transparency log (Rekor-compatible and CT),
// the CA, the development OIDC issuer and the TUF mirror — on the embedded database by default
// (DATABASE_URL switches to PostgreSQL). The composition root: reads the environment and the
// optional configuration file, starts everything, prints how to use it, and shuts down cleanly.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadStackConfig, StackConfigError } from './config.js';
import { startStack, type StackInfo } from './stack.js';

function instructions(info: StackInfo, dataDir: string, cwd: string): string {
  const rel = (p: string) => (relative(cwd, p).startsWith('..') ? p : relative(cwd, p));
  const identity = 'developer@signet.localhost';
  return `
Signet is running (data in ${rel(dataDir)}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}):
  CA (Fulcio API)         ${info.caUrl}
  Transparency log        ${info.tlogUrl}
  CT log                  ${info.ctlogUrl || '(disabled)'}
  OIDC issuer (dev only)  ${info.oidcIssuerUrl || '(disabled)'}
  TUF mirror              ${info.tufUrl}  (initial root: ${rel(info.tufRootPath)})
  Trusted root            ${rel(info.trustedRootPath)}
  Signing config          ${rel(info.signingConfigPath)}

Sign and verify a file, from another terminal in this directory:
  echo 'hello, signet' > hello.txt
  npx signet sign-blob hello.txt --bundle hello.sigstore.json
  npx signet verify-blob hello.txt --bundle hello.sigstore.json \\
      --certificate-identity ${identity} --certificate-oidc-issuer ${info.oidcIssuerUrl}

With cosign instead:
  TOKEN=$(curl -s -X POST ${info.oidcIssuerUrl}/token -H 'content-type: application/json' -d '{"email":"${identity}"}' | sed 's/.*"id_token":"\\([^"]*\\)".*/\\1/')
  cosign sign-blob hello.txt --bundle hello.cosign.json --identity-token "$TOKEN" --yes \\
      --fulcio-url ${info.caUrl} --rekor-url ${info.tlogUrl}
  cosign verify-blob hello.txt --bundle hello.cosign.json --trusted-root ${rel(info.trustedRootPath)} \\
      --certificate-identity ${identity} --certificate-oidc-issuer ${info.oidcIssuerUrl}

Press Ctrl+C to stop.
`;
}

async function main(): Promise<void> {
  const env = process.env;
  const configPath = env.SIGNET_CONFIG_FILE;
  let fileText: string | undefined;
  if (configPath) {
    try {
      fileText = readFileSync(configPath, 'utf8');
    } catch (e) {
      throw new StackConfigError([`cannot read SIGNET_CONFIG_FILE ${configPath}: ${(e as NodeJS.ErrnoException).code ?? e}`]);
    }
  }
  const config = loadStackConfig(env, fileText, process.cwd());
  const stack = await startStack(config, env);
  process.stdout.write(instructions(stack.info, config.dataDir, process.cwd()));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Signet…\n`);
    stack.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`signet: could not start: ${message}\n`);
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write('A port is taken: set SIGNET_TLOG_PORT, SIGNET_CA_PORT, SIGNET_OIDC_PORT or SIGNET_TUF_PORT.\n');
  }
  process.exit(1);
});
