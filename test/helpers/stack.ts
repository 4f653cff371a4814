// Boots the real Signet stack in-process for end-to-end tests: every service on 127.0.0.1 with
// free ports, keys and the embedded database under a fresh temporary directory, or — for the
// PostgreSQL variant — the database at DATABASE_URL in a schema of its own, dropped afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startStack, type RunningStack, type StackConfig } from '@signet/stack';

export interface TestStack extends RunningStack {
  dataDir: string;
  /** Mints a token from the development issuer. */
  token(email?: string): Promise<string>;
}

/** The database variants to run end-to-end tests on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function databaseVariants(): { name: string; url?: string }[] {
  const url = process.env.DATABASE_URL;
  return [{ name: 'PGlite' }, ...(url ? [{ name: 'PostgreSQL', url }] : [])];
}

/**
 * Starts a stack and registers its teardown with `t.after` (a test context, or node:test's `after`
 * for a whole suite).
 */
export async function startTestStack(t: { after: (fn: () => Promise<void>) => void }, databaseUrl?: string): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'signet-e2e-'));
  const schema = `e2e_${randomBytes(6).toString('hex')}`;
  const config: StackConfig = {
    dataDir,
    host: '127.0.0.1',
    ports: { tlog: 0, ca: 0, oidc: 0, tuf: 0 },
    publicUrls: {},
    ...(databaseUrl ? { databaseUrl } : {}),
    devOidc: true,
    sections: { tlog: databaseUrl ? { databaseSchema: schema } : {}, ca: {} },
  };
  // Only what a service must see: no developer SIGNET_* variables leak into the test.
  const env: Record<string, string | undefined> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  const stack = await startStack(config, env);
  t.after(async () => {
    await stack.close();
    if (databaseUrl) await dropSchema(databaseUrl, schema);
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    ...stack,
    dataDir,
    async token(email = 'alice@example.com') {
      const res = await fetch(`${stack.info.oidcIssuerUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      if (!res.ok) throw new Error(`dev issuer answered ${res.status}`);
      return ((await res.json()) as { id_token: string }).id_token;
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
