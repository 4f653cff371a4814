import {
  checkStatement,
  ClientError,
  loadTrustedRoot,
  predicateTypeOf,
  verifyBundle,
  type IdentityPolicy,
  type Matcher,
} from '../index.js';
import { COMMON_OPTIONS, configFlags, IDENTITY_OPTIONS, output, TRUST_OPTIONS, type Command, type Values } from './command.js';
import { EXIT, loadConfig, readInput, readJsonInput, stateDirOf, type CliContext } from './context.js';

const VERIFY_OPTIONS = {
  ...COMMON_OPTIONS,
  ...TRUST_OPTIONS,
  ...IDENTITY_OPTIONS,
  bundle: { type: 'string' },
  key: { type: 'string' },
  'ctlog-threshold': { type: 'string', default: '1' },
} as const;

function ctlogThreshold(v: Values): number {
  const raw = v['ctlog-threshold'];
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new ClientError('USAGE', '--ctlog-threshold must be a non-negative integer');
  return Number(raw);
}

function matcher(v: Values, name: string): Matcher | undefined {
  const exact = v[name];
  const regexp = v[`${name}-regexp`];
  if (typeof exact === 'string' && typeof regexp === 'string') throw new ClientError('USAGE', `give --${name} or --${name}-regexp, not both`);
  if (typeof exact === 'string') return { exact };
  if (typeof regexp === 'string') return { regexp };
  return undefined;
}

function identityPolicy(v: Values): IdentityPolicy | undefined {
  if (typeof v.key === 'string') return undefined;
  const san = matcher(v, 'certificate-identity');
  const issuer = matcher(v, 'certificate-oidc-issuer');
  if (!san || !issuer) {
    throw new ClientError('USAGE', 'keyless verification needs --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp] (or --key for key-based bundles)');
  }
  return { subjectAlternativeName: san, issuer };
}

async function verifyCommon(ctx: CliContext, v: Values, file: string | undefined) {
  const artifact = await readInput(file, 'file to verify');
  const bundle = await readJsonInput(v.bundle as string | undefined, '--bundle');
  const identity = identityPolicy(v);
  const publicKeyPem = typeof v.key === 'string' ? (await readInput(v.key, 'public key')).toString('utf8') : undefined;
  const config = await loadConfig(ctx, configFlags(v));
  const trustedRoot = await loadTrustedRoot(config, stateDirOf(ctx, config));
  return { artifact, bundle, identity, publicKeyPem, trustedRoot };
}

function verifiedLines(r: ReturnType<typeof verifyBundle>): string[] {
  const who = r.identity ? `${r.identity.subjectAlternativeName} (issuer ${r.identity.issuer})` : 'the given key';
  const log = r.tlogEntries.map((t) => `log index ${t.logIndex}, integrated ${new Date(Number(t.integratedTime) * 1000).toISOString()}`).join('; ');
  return [`Verified OK: signed by ${who}; ${log}`];
}

export const verifyBlobCommand: Command = {
  name: 'verify-blob',
  summary: 'verify a file against its bundle, the trusted root and an identity (or --key)',
  usage:
    'signet verify-blob FILE --bundle B (--certificate-identity ID | --certificate-identity-regexp RE) (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) | --key PUB [--trusted-root F | --tuf-mirror URL --tuf-root root.json]',
  options: VERIFY_OPTIONS,
  async run(ctx, v, [file]) {
    const input = await verifyCommon(ctx, v, file);
    const result = verifyBundle({
      bundle: input.bundle,
      artifact: input.artifact,
      trustedRoot: input.trustedRoot,
      ...(input.identity ? { identity: input.identity } : {}),
      ...(input.publicKeyPem ? { publicKeyPem: input.publicKeyPem } : {}),
      thresholds: { ctlog: ctlogThreshold(v) },
    });
    output(ctx, v, { verified: true, identity: result.identity ?? null, tlogEntries: result.tlogEntries }, verifiedLines(result));
    return EXIT.OK;
  },
};

export const verifyAttestationCommand: Command = {
  name: 'verify-attestation',
  summary: 'verify an attestation bundle about a file, its signer and its predicate type',
  usage: 'signet verify-attestation FILE --bundle B --type TYPE|URI (identity flags | --key PUB) [--trusted-root F]',
  options: { ...VERIFY_OPTIONS, type: { type: 'string', default: 'custom' } },
  async run(ctx, v, [file]) {
    const input = await verifyCommon(ctx, v, file);
    const result = verifyBundle({
      bundle: input.bundle,
      trustedRoot: input.trustedRoot,
      ...(input.identity ? { identity: input.identity } : {}),
      ...(input.publicKeyPem ? { publicKeyPem: input.publicKeyPem } : {}),
      thresholds: { ctlog: ctlogThreshold(v) },
    });
    if (!result.dsse) throw new ClientError('VERIFICATION_FAILED', 'the bundle holds a message signature, not an attestation');
    const statement = checkStatement(result.dsse.payloadType, result.dsse.payload, input.artifact, predicateTypeOf(v.type as string));
    output(ctx, v, { verified: true, identity: result.identity ?? null, tlogEntries: result.tlogEntries, statement }, [
      ...verifiedLines(result),
      `Predicate type ${String(statement.predicateType)}`,
    ]);
    return EXIT.OK;
  },
};
