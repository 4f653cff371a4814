// JSON Schemas of every CA route (Fulcio v1/v2 wire shapes) and the matching TypeScript types.
// The OpenAPI document is assembled from these same objects, so the two cannot drift.

/** The request body cap (Fulcio: 4 MiB on HTTP and gRPC). */
export const BODY_LIMIT = 4 * 1024 * 1024;

const errorBody = {
  type: 'object',
  description: "Fulcio's error body: a gRPC status code, a message naming the problem, details (always empty).",
  properties: {
    code: { type: 'integer' },
    message: { type: 'string' },
    details: { type: 'array', items: {} },
  },
  required: ['code', 'message', 'details'],
} as const;

const pemChain = {
  type: 'object',
  properties: { certificates: { type: 'array', items: { type: 'string', description: 'PEM certificate' } } },
  required: ['certificates'],
} as const;

/** POST /api/v2/signingCert body (snake_case field names are accepted too). */
export const signingCertV2Body = {
  type: 'object',
  properties: {
    credentials: {
      type: 'object',
      properties: { oidcIdentityToken: { type: 'string', description: 'OIDC identity token (JWT); else Authorization: Bearer' } },
    },
    publicKeyRequest: {
      type: 'object',
      required: ['publicKey', 'proofOfPossession'],
      properties: {
        publicKey: {
          type: 'object',
          required: ['content'],
          properties: {
            algorithm: {
              anyOf: [{ type: 'string' }, { type: 'integer' }],
              description: 'PUBLIC_KEY_ALGORITHM_UNSPECIFIED | RSA_PSS | ECDSA | ED25519; ignored (inferred from the key)',
            },
            content: { type: 'string', minLength: 1, description: 'PEM "PUBLIC KEY" (SPKI), or base64 DER SPKI' },
          },
        },
        proofOfPossession: {
          type: 'string',
          minLength: 1,
          description: 'base64 signature over the challenge claim (email for email issuers, else sub)',
        },
      },
    },
    certificateSigningRequest: { type: 'string', minLength: 1, description: 'base64 of a PEM PKCS#10 CSR' },
  },
} as const;

/** The TypeScript view of `signingCertV2Body` after validation. */
export interface SigningCertV2Body {
  credentials?: { oidcIdentityToken?: string };
  publicKeyRequest?: { publicKey: { algorithm?: string | number; content: string }; proofOfPossession: string };
  certificateSigningRequest?: string;
}

/** POST /api/v2/signingCert responses. Exactly one of the two members is present on success. */
export const signingCertV2Response = {
  200: {
    type: 'object',
    properties: {
      signedCertificateEmbeddedSct: { type: 'object', properties: { chain: pemChain }, required: ['chain'] },
      signedCertificateDetachedSct: {
        type: 'object',
        properties: {
          chain: pemChain,
          signedCertificateTimestamp: { type: 'string', description: 'base64 AddChainResponse JSON; "" when no CT log' },
        },
        required: ['chain', 'signedCertificateTimestamp'],
      },
    },
  },
  '4xx': errorBody,
  '5xx': errorBody,
} as const;

/** POST /api/v1/signingCert body (deprecated Fulcio v1; token only in Authorization: Bearer). */
export const signingCertV1Body = {
  type: 'object',
  properties: {
    publicKey: {
      type: 'object',
      required: ['content'],
      properties: {
        content: { type: 'string', minLength: 1, description: 'base64 of a PEM or DER public key' },
        algorithm: { type: 'string' },
      },
    },
    signedEmailAddress: { type: 'string', minLength: 1, description: 'base64 signature over the challenge claim' },
    certificateSigningRequest: { type: 'string', minLength: 1, description: 'base64 of a PEM PKCS#10 CSR' },
  },
} as const;

/** The TypeScript view of `signingCertV1Body`. */
export interface SigningCertV1Body {
  publicKey?: { content: string; algorithm?: string };
  signedEmailAddress?: string;
  certificateSigningRequest?: string;
}

/** GET /api/v2/trustBundle. */
export const trustBundleResponse = {
  200: { type: 'object', properties: { chains: { type: 'array', items: pemChain } }, required: ['chains'] },
} as const;

/** GET /api/v2/configuration: one entry per configured issuer (Fulcio field names). */
export const configurationResponse = {
  200: {
    type: 'object',
    properties: {
      issuers: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            issuerUrl: { type: 'string' },
            wildcardIssuerUrl: { type: 'string' },
            audience: { type: 'string' },
            challengeClaim: { type: 'string' },
            spiffeTrustDomain: { type: 'string' },
            issuerType: { type: 'string' },
            subjectDomain: { type: 'string' },
            skipEmailVerification: { type: 'boolean' },
          },
        },
      },
    },
    required: ['issuers'],
  },
} as const;

/** GET /healthz and /readyz. */
export const healthResponse = {
  200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
  503: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
} as const;

/** The error body schema, for the OpenAPI document. */
export const ERROR_BODY_SCHEMA = errorBody;
