import { basename } from 'node:path';
import { writeFile } from 'node:fs/promises';
import {
  buildStatement,
  ClientError,
  describeToken,
  obtainIdentityToken,
  predicateTypeOf,
  required,
  signBlob,
  signDsse,
  type ClientConfig,
  type SigningIdentity,
} from '../index.js';
import { COMMON_OPTIONS, configFlags, output, SERVICE_OPTIONS, type Command, type Values } from './command.js';
import { EXIT, loadConfig, readInput, type CliContext } from './context.js';

const SIGNING_OPTIONS = {
  ...COMMON_OPTIONS,
  ...SERVICE_OPTIONS,
  bundle: { type: 'string' },
  key: { type: 'string' },
  'identity-token': { type: 'string' },
  'dev-identity': { type: 'string' },
} as const;

async function signingIdentity(ctx: CliContext, v: Values, config: ClientConfig): Promise<SigningIdentity> {
  if (typeof v.key === 'string') {
    const privateKeyPem = (await readInput(v.key, 'private key')).toString('utf8');
    const encrypted = privateKeyPem.includes('ENCRYPTED');
    return { kind: 'key', privateKeyPem, ...(encrypted ? { password: await ctx.password('Password for the private key: ') } : {}) };
  }
  const caUrl = required(config, 'caUrl', 'ca-url');
  return {
    kind: 'keyless',
    caUrl,
    getToken: async () => {
      let token = typeof v['identity-token'] === 'string' ? v['identity-token'] : undefined;
      if (token && !token.includes('.')) token = (await readInput(token, 'identity token file')).toString('utf8');
      const jwt = await obtainIdentityToken({
        ...(token ? { identityToken: token } : {}),
        env: ctx.env,
        ...(config.oidcIssuerUrl ? { devIssuerUrl: config.oidcIssuerUrl } : {}),
        ...(typeof v['dev-identity'] === 'string' ? { devIdentity: v['dev-identity'] } : {}),
      });
      const who = describeToken(jwt);
      ctx.stderr(`Signing as ${who.identity} (issuer ${who.issuer})\n`);
      return jwt;
    },
  };
}

async function writeBundle(v: Values, file: string, bundle: unknown): Promise<string> {
  const out = typeof v.bundle === 'string' ? v.bundle : `${file}.sigstore.json`;
  try {
    await writeFile(out, `${JSON.stringify(bundle, null, 2)}\n`);
  } catch (cause) {
    throw new ClientError('IO', `cannot write the bundle ${out}`, { cause });
  }
  return out;
}

function summary(bundle: { verificationMaterial?: { tlogEntries?: { logIndex?: string }[] } }, out: string) {
  // protobuf-JSON omits zero values: an entry at index 0 has no logIndex field.
  const logIndex = bundle.verificationMaterial?.tlogEntries?.[0]?.logIndex ?? '0';
  return { bundle: out, logIndex, lines: [`Wrote bundle ${out} (transparency log index ${logIndex})`] };
}

export const signBlobCommand: Command = {
  name: 'sign-blob',
  summary: 'sign a file keylessly (or with --key) and log it; writes a Sigstore bundle',
  usage: 'signet sign-blob FILE [--bundle OUT] [--key KEY] [--identity-token JWT|FILE] [--ca-url URL] [--tlog-url URL]',
  options: SIGNING_OPTIONS,
  async run(ctx, v, [file]) {
    const data = await readInput(file, 'file to sign');
    const config = await loadConfig(ctx, configFlags(v));
    const bundle = await signBlob(data, { identity: await signingIdentity(ctx, v, config), tlogUrl: required(config, 'tlogUrl', 'tlog-url') });
    const s = summary(bundle as never, await writeBundle(v, file as string, bundle));
    output(ctx, v, { bundle: s.bundle, logIndex: s.logIndex }, s.lines);
    return EXIT.OK;
  },
};

export const attestCommand: Command = {
  name: 'attest',
  summary: 'sign an in-toto attestation about a file (DSSE, logged as dsse)',
  usage: 'signet attest FILE --predicate P --type slsaprovenance|spdxjson|cyclonedx|vuln|custom|URI [--bundle OUT] [--key KEY]',
  options: { ...SIGNING_OPTIONS, predicate: { type: 'string' }, type: { type: 'string', default: 'custom' } },
  async run(ctx, v, [file]) {
    const data = await readInput(file, 'file to attest');
    const predicate = await readInput(v.predicate as string | undefined, '--predicate file');
    const statement = buildStatement({ name: basename(file as string), data }, predicateTypeOf(v.type as string), predicate);
    const config = await loadConfig(ctx, configFlags(v));
    const bundle = await signDsse(statement, { identity: await signingIdentity(ctx, v, config), tlogUrl: required(config, 'tlogUrl', 'tlog-url') });
    const s = summary(bundle as never, await writeBundle(v, `${file}.att`, bundle));
    output(ctx, v, { bundle: s.bundle, logIndex: s.logIndex }, s.lines);
    return EXIT.OK;
  },
};
