// Fulcio's identity configuration file (pkg/config/config.go), YAML or JSON: OIDCIssuers, MetaIssuers and
// CIIssuerMetadata. Parsing validates everything and reports every problem at once, including what Fulcio
// only discovers at request time (an unknown ci-provider, a template that does not parse).
import { X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { CaError } from '../errors.js';
import { BUILTIN_CI_PROVIDERS } from './ci-providers.js';
import { CI_EXTENSIONS, type CiExtensionName } from './extensions.js';
import { compileTemplate, type CompiledTemplate } from './template.js';

/** Issuer types. The legacy CI types are served by the ci-provider templates of the same name. */
export const ISSUER_TYPES = [
  'email', 'uri', 'username', 'spiffe', 'kubernetes', 'ci-provider',
  'github-workflow', 'gitlab-pipeline', 'buildkite-job', 'codefresh-workflow',
] as const;
/** One of ISSUER_TYPES. */
export type IssuerType = (typeof ISSUER_TYPES)[number];

/** Settings shared by exact and meta issuers (Fulcio's OIDCIssuer). */
export interface IssuerSettings {
  /** Required `aud` value (ClientID). */
  clientId: string;
  type: IssuerType;
  /** Name of the CIIssuerMetadata entry, for ci-provider and the legacy CI types. */
  ciProvider?: string;
  /** Email type only: JSONPath (`$.a.b`) of the claim that replaces `iss` in the issuer extensions (e.g. Dex's connector). */
  issuerClaim?: { source: string; path: string[] };
  /** uri: `scheme://host` the `sub` must be under; username: the domain appended as `sub!domain`. */
  subjectDomain?: string;
  /** spiffe: the trust domain every `sub` must belong to. */
  spiffeTrustDomain?: string;
  /** Advertised challenge claim: the configured ChallengeClaim, else `email` for email issuers, else `sub`. */
  challengeClaim: string;
  /** PEM CA certificate(s) trusted, in addition to the system roots, for this issuer's TLS. */
  caCert?: string;
  /** Email type only: accept tokens without `email_verified` true (Entra ID, ADFS). */
  skipEmailVerification: boolean;
  description?: string;
  contact?: string;
  environment?: string;
}

/** An issuer matched by exact `iss`. */
export interface OidcIssuerConfig extends IssuerSettings {
  issuerUrl: string;
}

/** An issuer matched by an anchored wildcard pattern (each `*` is one `[-_a-zA-Z0-9]+` run). */
export interface MetaIssuerConfig extends IssuerSettings {
  wildcardUrl: string;
  pattern: RegExp;
}

/** A compiled CIIssuerMetadata entry. */
export interface CiProviderConfig {
  name: string;
  defaults: ReadonlyMap<string, string>;
  extensions: { name: CiExtensionName; template: CompiledTemplate }[];
  san: CompiledTemplate;
}

/** The whole identity configuration, validated. */
export interface IssuerConfig {
  oidcIssuers: OidcIssuerConfig[];
  metaIssuers: MetaIssuerConfig[];
  /** Built-in providers (ci-providers.ts) overlaid by the file's CIIssuerMetadata. */
  ciProviders: ReadonlyMap<string, CiProviderConfig>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Issuer keys: [JSON name, YAML name, kind]. */
const ISSUER_FIELDS = [
  ['IssuerURL', 'issuer-url', 'string'], ['ClientID', 'client-id', 'string'], ['Type', 'type', 'string'],
  ['CIProvider', 'ci-provider', 'string'], ['IssuerClaim', 'issuer-claim', 'string'],
  ['SubjectDomain', 'subject-domain', 'string'], ['SPIFFETrustDomain', 'spiffe-trust-domain', 'string'],
  ['ChallengeClaim', 'challenge-claim', 'string'], ['Description', 'description', 'string'],
  ['Contact', 'contact', 'string'], ['Environment', 'environment', 'string'], ['CACert', 'ca-cert', 'string'],
  ['SkipEmailVerification', 'skip-email-verification', 'boolean'],
] as const;
type IssuerField = (typeof ISSUER_FIELDS)[number][0];

/**
 * Parses Fulcio's identity configuration (JSON first, then YAML, as Fulcio does; both key spellings are
 * accepted in either syntax). YAML aliases used as keys (`*github-type:`, as in Fulcio's public file) work.
 * @throws CaError BAD_CONFIG whose message lists every problem; `cause` is an AggregateError of them.
 */
export function parseIssuerConfig(text: string): IssuerConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      // libyaml ends an alias at ':', the yaml package does not: give alias keys the space they need.
      doc = parseYaml(text.replace(/^(\s*)\*([^\s:,[\]{}]+):(?=\s|$)/gm, '$1*$2 :'), { maxAliasCount: 1000 });
    } catch (err) {
      throw new CaError('BAD_CONFIG', `identity configuration is neither JSON nor YAML: ${(err as Error).message}`, { cause: err });
    }
  }
  const problems: string[] = [];
  const config = readConfig(doc, problems);
  if (problems.length > 0) {
    throw new CaError('BAD_CONFIG', `invalid identity configuration (${problems.length} problems):\n- ${problems.join('\n- ')}`, {
      cause: new AggregateError(problems.map((p) => new Error(p)), 'identity configuration problems'),
    });
  }
  return config;
}

function readConfig(doc: unknown, problems: string[]): IssuerConfig {
  const empty: IssuerConfig = { oidcIssuers: [], metaIssuers: [], ciProviders: new Map() };
  if (!isObj(doc)) {
    problems.push('the configuration must be a mapping with OIDCIssuers, MetaIssuers and/or CIIssuerMetadata');
    return empty;
  }
  const section = (json: string, yaml: string): Obj => {
    const both = [doc[json], doc[yaml]].filter((v) => v !== undefined && v !== null);
    if (both.length > 1) problems.push(`both ${json} and ${yaml} are set`);
    const v = both[0] ?? {};
    if (!isObj(v)) problems.push(`${json} must be a mapping`);
    return isObj(v) ? v : {};
  };
  const ciProviders = readCiProviders(section('CIIssuerMetadata', 'ci-issuer-metadata'), problems);
  const oidcIssuers: OidcIssuerConfig[] = [];
  for (const [key, raw] of Object.entries(section('OIDCIssuers', 'oidc-issuers'))) {
    const where = `OIDCIssuers["${key}"]`;
    const s = readSettings(raw, where, problems, ciProviders);
    if (s === undefined) continue;
    const issuerUrl = s.issuerUrl ?? key;
    if (issuerUrl !== key) problems.push(`${where}: IssuerURL ${issuerUrl} differs from its key`);
    if (checkUrl(issuerUrl, `${where}.IssuerURL`, problems)) checkDomains(s.settings, issuerUrl, where, problems);
    oidcIssuers.push({ ...s.settings, issuerUrl });
  }
  const metaIssuers: MetaIssuerConfig[] = [];
  for (const [key, raw] of Object.entries(section('MetaIssuers', 'meta-issuers'))) {
    const where = `MetaIssuers["${key}"]`;
    const s = readSettings(raw, where, problems, ciProviders);
    if (s === undefined) continue;
    if (!key.includes('*')) problems.push(`${where}: a meta issuer URL needs at least one * wildcard`);
    checkUrl(key.replaceAll('*', '0'), `${where} URL`, problems);
    if (s.settings.type === 'uri' && s.settings.subjectDomain !== undefined && !URL.canParse(s.settings.subjectDomain)) {
      problems.push(`${where}.SubjectDomain ${s.settings.subjectDomain} must be a URL with a scheme for type uri`);
    }
    if (s.settings.type === 'spiffe') problems.push(`${where}: SPIFFE meta issuers are not supported (one trust domain per issuer)`);
    metaIssuers.push({ ...s.settings, wildcardUrl: key, pattern: metaIssuerPattern(key) });
  }
  return { oidcIssuers, metaIssuers, ciProviders };
}

/**
 * The anchored regular expression of a meta issuer URL: regex characters quoted, each `*` one run of
 * `[-_a-zA-Z0-9]` (so no `.`, `/`, `?`, `:`), anchored at both ends (GHSA-59jp-pj84-45mr).
 */
export function metaIssuerPattern(wildcardUrl: string): RegExp {
  const quoted = wildcardUrl.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`^${quoted.replaceAll('\\*', '[-_a-zA-Z0-9]+')}$`);
}

function readSettings(
  raw: unknown,
  where: string,
  problems: string[],
  ciProviders: ReadonlyMap<string, CiProviderConfig>,
): { issuerUrl?: string; settings: IssuerSettings } | undefined {
  if (!isObj(raw)) {
    problems.push(`${where} must be a mapping`);
    return undefined;
  }
  const v: Partial<Record<IssuerField, string | boolean>> = {};
  const known = new Set<string>();
  for (const [json, yaml, kind] of ISSUER_FIELDS) {
    known.add(json).add(yaml);
    const present = [json, yaml].filter((k) => raw[k] !== undefined && raw[k] !== null);
    if (present.length > 1) problems.push(`${where}: both ${json} and ${yaml} are set`);
    if (present.length === 0) continue;
    const value = raw[present[0] as string];
    if (typeof value !== kind) problems.push(`${where}.${json} must be a ${kind}`);
    else v[json] = value as string | boolean;
  }
  for (const k of Object.keys(raw)) if (!known.has(k)) problems.push(`${where}: unknown key ${k}`);
  const str = (f: IssuerField) => (typeof v[f] === 'string' && v[f] !== '' ? (v[f] as string) : undefined);
  const type = str('Type');
  if (type === undefined) problems.push(`${where}.Type is required (one of ${ISSUER_TYPES.join(', ')})`);
  else if (!(ISSUER_TYPES as readonly string[]).includes(type)) {
    problems.push(`${where}.Type ${type} is not supported (one of ${ISSUER_TYPES.join(', ')})`);
  }
  const clientId = str('ClientID');
  if (clientId === undefined) problems.push(`${where}.ClientID is required (the audience tokens must carry)`);
  const t = (type ?? 'email') as IssuerType;
  const settings: IssuerSettings = {
    clientId: clientId ?? '',
    type: t,
    challengeClaim: str('ChallengeClaim') ?? (t === 'email' ? 'email' : 'sub'),
    skipEmailVerification: v.SkipEmailVerification === true,
  };
  const optional = { subjectDomain: 'SubjectDomain', spiffeTrustDomain: 'SPIFFETrustDomain', caCert: 'CACert', description: 'Description', contact: 'Contact', environment: 'Environment' } as const;
  for (const [prop, field] of Object.entries(optional)) {
    const s = str(field);
    if (s !== undefined) settings[prop as keyof typeof optional] = s;
  }
  checkTypeSettings(settings, str('CIProvider'), str('IssuerClaim'), where, problems, ciProviders);
  const issuerUrl = str('IssuerURL');
  return issuerUrl === undefined ? { settings } : { issuerUrl, settings };
}

function checkTypeSettings(
  s: IssuerSettings,
  ciProvider: string | undefined,
  issuerClaim: string | undefined,
  where: string,
  problems: string[],
  ciProviders: ReadonlyMap<string, CiProviderConfig>,
): void {
  if (issuerClaim !== undefined) {
    if (s.type !== 'email') problems.push(`${where}.IssuerClaim: only email issuers can map the issuer from a claim`);
    const path = parseClaimPath(issuerClaim);
    if (path === undefined) problems.push(`${where}.IssuerClaim ${issuerClaim} is not a supported JSONPath ($.a.b or $['a.b'])`);
    else s.issuerClaim = { source: issuerClaim, path };
  }
  if (s.skipEmailVerification && s.type !== 'email') problems.push(`${where}.SkipEmailVerification applies to email issuers only`);
  if (s.type === 'ci-provider' || s.type === 'github-workflow' || s.type === 'gitlab-pipeline' || s.type === 'buildkite-job' || s.type === 'codefresh-workflow') {
    const name = s.type === 'ci-provider' ? ciProvider : (ciProvider ?? s.type);
    if (name === undefined) problems.push(`${where}.CIProvider is required for type ci-provider`);
    else if (!ciProviders.has(name)) problems.push(`${where}.CIProvider ${name} has no CIIssuerMetadata entry (built-in: ${Object.keys(BUILTIN_CI_PROVIDERS).join(', ')})`);
    else s.ciProvider = name;
  } else if (ciProvider !== undefined) problems.push(`${where}.CIProvider applies to type ci-provider only`);
  if (s.type === 'spiffe') {
    if (s.spiffeTrustDomain === undefined) problems.push(`${where}.SPIFFETrustDomain is required for type spiffe`);
    else if (!/^[a-z0-9._-]+$/.test(s.spiffeTrustDomain)) problems.push(`${where}.SPIFFETrustDomain ${s.spiffeTrustDomain} is not a valid trust domain`);
  }
  if ((s.type === 'uri' || s.type === 'username') && s.subjectDomain === undefined) {
    problems.push(`${where}.SubjectDomain is required for type ${s.type}`);
  }
  if (s.caCert !== undefined && !validPemCerts(s.caCert)) problems.push(`${where}.CACert is not a PEM certificate`);
}

/** uri/username SubjectDomain must share the issuer's last two DNS labels (proof of control over both). */
function checkDomains(s: IssuerSettings, issuerUrl: string, where: string, problems: string[]): void {
  if (s.subjectDomain === undefined || (s.type !== 'uri' && s.type !== 'username')) return;
  const issuer = new URL(issuerUrl);
  let host: string;
  if (s.type === 'uri') {
    let d: URL;
    try {
      d = new URL(s.subjectDomain);
    } catch {
      problems.push(`${where}.SubjectDomain ${s.subjectDomain} must be a URL with a scheme for type uri`);
      return;
    }
    if (d.protocol !== issuer.protocol) problems.push(`${where}.SubjectDomain scheme ${d.protocol} differs from the issuer's ${issuer.protocol}`);
    host = d.hostname;
  } else {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.subjectDomain)) {
      problems.push(`${where}.SubjectDomain must not contain a scheme for type username`);
      return;
    }
    host = s.subjectDomain;
  }
  const a = host.split('.');
  const b = issuer.hostname.split('.');
  if (host !== issuer.hostname && (a.length < 2 || b.length < 2 || a.slice(-2).join('.') !== b.slice(-2).join('.'))) {
    problems.push(`${where}.SubjectDomain ${host} does not share the top two DNS labels of the issuer ${issuer.hostname}`);
  }
}

function checkUrl(url: string, where: string, problems: string[]): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    if (u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') throw new Error('extras');
    return true;
  } catch {
    problems.push(`${where} ${url} is not an http(s) URL without query, fragment or credentials`);
    return false;
  }
}

function validPemCerts(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    for (const b of blocks) new X509Certificate(b);
    return blocks.length > 0;
  } catch {
    return false;
  }
}

/** Parses the JSONPath subset Fulcio's configurations use: `$.a.b`, `$['a.b']`, `$["a"].b`. */
export function parseClaimPath(path: string): string[] | undefined {
  const m = /^\$((?:\.[A-Za-z_][A-Za-z0-9_-]*|\['[^']+'\]|\["[^"]+"\])+)$/.exec(path);
  if (m === null) return undefined;
  return [...(m[1] as string).matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\['([^']+)'\]|\["([^"]+)"\]/g)].map((x) => (x[1] ?? x[2] ?? x[3]) as string);
}

const EXT_BY_NAME = new Map<string, CiExtensionName>(CI_EXTENSIONS.flatMap((e) => [[e.name, e.name], [e.jsonName, e.name]]));

function readCiProviders(section: Obj, problems: string[]): ReadonlyMap<string, CiProviderConfig> {
  const out = new Map<string, CiProviderConfig>();
  const sources: [string, unknown, string][] = [
    ...Object.entries(BUILTIN_CI_PROVIDERS).map(([n, v]) => [n, v, `built-in CI provider ${n}`] as [string, unknown, string]),
    ...Object.entries(section).map(([n, v]) => [n, v, `CIIssuerMetadata["${n}"]`] as [string, unknown, string]),
  ];
  for (const [name, raw, where] of sources) {
    const p = readCiProvider(name, raw, where, problems);
    if (p !== undefined) out.set(name, p);
  }
  return out;
}

function readCiProvider(name: string, raw: unknown, where: string, problems: string[]): CiProviderConfig | undefined {
  if (!isObj(raw)) {
    problems.push(`${where} must be a mapping`);
    return undefined;
  }
  const keys = ['DefaultTemplateValues', 'default-template-values', 'ExtensionTemplates', 'extension-templates', 'SubjectAlternativeNameTemplate', 'subject-alternative-name-template'];
  for (const k of Object.keys(raw)) if (!keys.includes(k)) problems.push(`${where}: unknown key ${k}`);
  const pick = (json: string, yaml: string): unknown => {
    if (raw[json] !== undefined && raw[yaml] !== undefined) problems.push(`${where}: both ${json} and ${yaml} are set`);
    return raw[json] ?? raw[yaml];
  };
  const compile = (source: unknown, at: string): CompiledTemplate | undefined => {
    if (typeof source !== 'string') {
      problems.push(`${at} must be a string`);
      return undefined;
    }
    try {
      return compileTemplate(source);
    } catch (err) {
      problems.push(`${at}: template ${JSON.stringify(source)} does not parse: ${(err as Error).message}`);
      return undefined;
    }
  };
  const defaults = new Map<string, string>();
  const rawDefaults = pick('DefaultTemplateValues', 'default-template-values') ?? {};
  if (!isObj(rawDefaults)) problems.push(`${where}.default-template-values must be a mapping`);
  else for (const [k, v] of Object.entries(rawDefaults)) defaults.set(k, v === null ? '' : String(v));
  const extensions: CiProviderConfig['extensions'] = [];
  const rawExt = pick('ExtensionTemplates', 'extension-templates') ?? {};
  if (!isObj(rawExt)) problems.push(`${where}.extension-templates must be a mapping`);
  else {
    for (const [k, v] of Object.entries(rawExt)) {
      const ext = EXT_BY_NAME.get(k);
      if (ext === undefined) {
        const why = /^(issuer|subject)$/i.test(k) ? 'always comes from the token' : 'is not a known extension';
        problems.push(`${where}.extension-templates: ${k} ${why}`);
        continue;
      }
      if (typeof v === 'string' && v.trim() === '') continue;
      const t = compile(v, `${where}.extension-templates.${k}`);
      if (t !== undefined) extensions.push({ name: ext, template: t });
    }
  }
  const sanSource = pick('SubjectAlternativeNameTemplate', 'subject-alternative-name-template');
  if (sanSource === undefined || sanSource === '') {
    problems.push(`${where}.subject-alternative-name-template is required`);
    return undefined;
  }
  const san = compile(sanSource, `${where}.subject-alternative-name-template`);
  return san === undefined ? undefined : { name, defaults, extensions, san };
}
