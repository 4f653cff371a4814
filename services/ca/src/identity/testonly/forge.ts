// Hand-made JWS for negative tests: any header, any payload, any (or no) signature.
import { createHmac, sign, constants, type KeyObject } from 'node:crypto';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Signs `header.payload` with node:crypto for the header's alg (none, HS*, RS*, PS*, ES*, EdDSA). */
export function forgeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key?: KeyObject | string | Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const alg = String(header['alg']);
  const bits = alg.slice(2);
  let sig: Buffer;
  if (alg === 'none') sig = Buffer.alloc(0);
  else if (alg.startsWith('HS')) sig = createHmac(`sha${bits}`, key as string | Buffer).update(input).digest();
  else if (alg === 'EdDSA') sig = sign(null, Buffer.from(input), key as KeyObject);
  else if (alg.startsWith('RS')) sig = sign(`sha${bits}`, Buffer.from(input), key as KeyObject);
  else if (alg.startsWith('PS')) sig = sign(`sha${bits}`, Buffer.from(input), { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 });
  else sig = sign(`sha${bits}`, Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

/** The claims segment of a compact JWS, decoded (not verified). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The header segment of a compact JWS, decoded. */
export function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}
