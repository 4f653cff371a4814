// POST /api/v2/signingCert (Fulcio v2 REST) and POST /api/v1/signingCert (deprecated v1 REST).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pemEncode } from '@signet/pki';
import type { CertificateAuthority, IssueRequest } from '../ca.js';
import { CaError } from '../errors.js';
import type { Principal } from '../identity/issuer.js';
import { ISSUED_V1_STATUS, ISSUED_V2_STATUS, sendStatus } from './errors.js';
import type { Metrics } from './metrics.js';
import { camelizeFields, decodeBase64Field, identityToken } from './request.js';
import {
  BODY_LIMIT,
  type SigningCertV1Body,
  type SigningCertV2Body,
  signingCertV1Body,
  signingCertV2Body,
  signingCertV2Response,
} from './schemas.js';

/** PEM of each DER certificate object: the CA chain's objects repeat on every answer. */
const pemCache = new WeakMap<Uint8Array, string>();
function pemOf(der: Uint8Array): string {
  let pem = pemCache.get(der);
  if (pem === undefined) {
    pem = pemEncode('CERTIFICATE', der).trim();
    pemCache.set(der, pem);
  }
  return pem;
}

/** The same, as a JSON string literal. */
const pemJsonCache = new WeakMap<Uint8Array, string>();
function pemJsonOf(der: Uint8Array): string {
  let json = pemJsonCache.get(der);
  if (json === undefined) {
    json = JSON.stringify(pemOf(der));
    pemJsonCache.set(der, json);
  }
  return json;
}

/**
 * The v2 answer as JSON text: exactly what the response schema's serializer writes for
 * `{signedCertificateEmbeddedSct: {chain: {certificates}}}` (or the detached form), built from
 * cached literals (tests compare both).
 */
export function signingCertV2Json(chainDer: readonly Uint8Array[], embeddedSct: boolean): string {
  const certificates = `{"chain":{"certificates":[${chainDer.map(pemJsonOf).join(',')}]}`;
  return embeddedSct ? `{"signedCertificateEmbeddedSct":${certificates}}}` : `{"signedCertificateDetachedSct":${certificates},"signedCertificateTimestamp":""}}`;
}

/** What the signingCert routes need. */
export interface SigningCertDeps {
  ca: CertificateAuthority;
  authenticate(rawToken: string): Promise<Principal>;
  metrics: Metrics;
}

/** Registers both signingCert routes. */
export async function signingCertRoutes(app: FastifyInstance, deps: SigningCertDeps): Promise<void> {
  const camelize = async (request: FastifyRequest) => void camelizeFields(request.body);

  app.post<{ Body: SigningCertV2Body }>(
    '/api/v2/signingCert',
    { schema: { body: signingCertV2Body, response: signingCertV2Response }, bodyLimit: BODY_LIMIT, preValidation: camelize },
    async (request, reply) => {
      const body = request.body;
      const keyForm = requireOneKeyForm(body.publicKeyRequest !== undefined, body.certificateSigningRequest !== undefined, 'publicKeyRequest');
      const token = identityToken(body.credentials?.oidcIdentityToken, request.headers.authorization);
      const principal = await deps.authenticate(token);
      const req: IssueRequest =
        keyForm === 'key'
          ? {
              principal,
              publicKey: body.publicKeyRequest!.publicKey.content,
              proof: decodeBase64Field(body.publicKeyRequest!.proofOfPossession, 'publicKeyRequest.proofOfPossession', 'BAD_REQUEST'),
            }
          : { principal, csr: decodeBase64Field(body.certificateSigningRequest!, 'certificateSigningRequest', 'BAD_CSR') };
      const issued = await deps.ca.issue(req);
      deps.metrics.certificateIssued();
      return sendStatus(reply, ISSUED_V2_STATUS).type('application/json; charset=utf-8').send(signingCertV2Json(issued.chainDer, issued.embeddedSct));
    },
  );

  app.post<{ Body: SigningCertV1Body }>(
    '/api/v1/signingCert',
    { schema: { body: signingCertV1Body }, bodyLimit: BODY_LIMIT, preValidation: camelize },
    async (request, reply) => {
      const body = request.body;
      const keyForm = requireOneKeyForm(body.publicKey !== undefined, body.certificateSigningRequest !== undefined, 'publicKey');
      if (keyForm === 'key' && body.signedEmailAddress === undefined) {
        throw new CaError('BAD_REQUEST', 'missing signedEmailAddress: the proof of possession of publicKey');
      }
      const token = identityToken(undefined, request.headers.authorization, false);
      const principal = await deps.authenticate(token);
      const req: IssueRequest =
        keyForm === 'key'
          ? {
              principal,
              publicKey: decodeBase64Field(body.publicKey!.content, 'publicKey.content', 'BAD_PUBLIC_KEY'),
              proof: decodeBase64Field(body.signedEmailAddress!, 'signedEmailAddress', 'BAD_REQUEST'),
            }
          : { principal, csr: decodeBase64Field(body.certificateSigningRequest!, 'certificateSigningRequest', 'BAD_CSR') };
      const issued = await deps.ca.issue(req);
      deps.metrics.certificateIssued();
      const pem = issued.chainDer.map(pemOf).join('\n'); // as Fulcio: no final newline
      // Detached mode happens only without a CT log, where Fulcio sends no SCT header either.
      return sendStatus(reply, ISSUED_V1_STATUS).type('application/pem-certificate-chain').send(pem);
    },
  );
}

/** Exactly one of the two key forms; throws BAD_REQUEST naming the problem otherwise. */
function requireOneKeyForm(hasKey: boolean, hasCsr: boolean, keyField: string): 'key' | 'csr' {
  if (hasKey && hasCsr) {
    throw new CaError('BAD_REQUEST', `send either ${keyField} or certificateSigningRequest, not both`);
  }
  if (!hasKey && !hasCsr) throw new CaError('BAD_REQUEST', `missing key: send ${keyField} or certificateSigningRequest`);
  return hasKey ? 'key' : 'csr';
}
