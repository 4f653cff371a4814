// Runs the development OIDC issuer alone: `tsx services/oidc-dev/src/main.ts`. For local development only;
// the stack starts it only when its configuration enables it.
// Environment: SIGNET_OIDC_DEV_HOST (loopback, default 127.0.0.1), SIGNET_OIDC_DEV_PORT (default 5556),
// SIGNET_OIDC_DEV_DATA_DIR (persist the signing key; default: a fresh key per start).
import { startDevOidc } from './start.js';

const port = Number(process.env['SIGNET_OIDC_DEV_PORT'] ?? '5556');
const dataDir = process.env['SIGNET_OIDC_DEV_DATA_DIR'];
const running = await startDevOidc({
  host: process.env['SIGNET_OIDC_DEV_HOST'] ?? '127.0.0.1',
  port,
  ...(dataDir !== undefined && { dataDir }),
});
console.log(JSON.stringify({ msg: 'development OIDC issuer listening', issuer: running.url }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
