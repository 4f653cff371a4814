// Pkcs11Signer: a private key inside an HSM token, used through PKCS#11 (pkcs11js, loaded lazily).
// The key never leaves the token: Signet hashes in node:crypto and asks the token to sign the
// digest (CKM_ECDSA; CKM_RSA_PKCS over the DigestInfo) or the message (CKM_EDDSA).
import { hash } from 'node:crypto';
import { bitString, intBytes, nul, oid, seq } from '../der/writer.js';
import { PkiError } from '../errors.js';
import { DIGEST_INFO_PREFIX } from '../prehash/rsa.js';
import { rawEcdsaToDer } from '../prehash/ecdsa.js';
import { parsePublicKey } from '../public-key.js';
import type { KeyConfig } from './config.js';
import { CK, type Pkcs11Importer, type Pkcs11Lib, acquireModule, ckr, pkcs11Error, releaseModule } from './pkcs11-module.js';
import type { SignatureAlgorithm, Signer } from './signer.js';

/**
 * The default way to load pkcs11js: a lazy dynamic import (the only place the package is named),
 * so installs without the optional native module still work until a pkcs11 key is configured.
 */
export const importPkcs11js: Pkcs11Importer = async () => {
  const mod = (await import('pkcs11js')) as unknown as { PKCS11?: new () => Pkcs11Lib; default?: { PKCS11: new () => Pkcs11Lib } };
  const PKCS11 = mod.PKCS11 ?? mod.default?.PKCS11;
  if (PKCS11 === undefined) throw new Error('pkcs11js exports no PKCS11 class');
  return { PKCS11 };
};

/** PKCS#11 configuration (the `pkcs11` variant of KeyConfig). */
export type Pkcs11Config = Extract<KeyConfig, { kind: 'pkcs11' }>;

/** DER namedCurve parameters (CKA_EC_PARAMS) → field size in bytes. */
const EC_CURVE_SIZE: Record<string, number> = {
  '06082a8648ce3d030107': 32, // P-256
  '06052b81040022': 48, // P-384
  '06052b81040023': 66, // P-521
};
const ED25519_PARAMS = new Set(['06032b6570', '130c656477617264733235353139']); // OID 1.3.101.112, "edwards25519"

const ALGORITHM_OF_KEY = {
  'ecdsa-p256': 'ecdsa-p256-sha256',
  'ecdsa-p384': 'ecdsa-p384-sha384',
  'ecdsa-p521': 'ecdsa-p521-sha512',
  ed25519: 'ed25519',
  rsa: 'rsa-pkcs1-sha256',
} as const satisfies Record<string, SignatureAlgorithm>;

/** A Signer whose private key stays inside a PKCS#11 token; signatures are serialised per signer. */
export class Pkcs11Signer implements Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicKeyDer: Uint8Array;
  #lib: Pkcs11Lib;
  #module: string;
  #session: Buffer | undefined;
  #key: Buffer;
  #sigSize: number;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(lib: Pkcs11Lib, module: string, session: Buffer, key: Buffer, spki: Uint8Array) {
    const parsed = parsePublicKey(spki);
    this.#lib = lib;
    this.#module = module;
    this.#session = session;
    this.#key = key;
    this.publicKeyDer = parsed.spki;
    this.algorithm = ALGORITHM_OF_KEY[parsed.type];
    this.#sigSize = parsed.type === 'rsa' ? parsed.raw.length : parsed.type === 'ed25519' ? 64 : 2 * ((parsed.bits + 7) >> 3);
  }

  /**
   * Opens a session on the configured token, logs in with the PIN and finds the private key (by
   * label and/or id) and its public key. Throws `PkiError`: BAD_KEY_CONFIG (malformed config,
   * several matching keys), KEY_BACKEND_UNAVAILABLE (pkcs11js or the module missing),
   * BAD_KEY_PASSWORD (wrong PIN), KEY_NOT_FOUND (no such token or key), UNSUPPORTED_KEY /
   * WEAK_KEY (key type), KEY_BACKEND_ERROR (any other Cryptoki failure).
   */
  static async open(cfg: Pkcs11Config, importer: Pkcs11Importer = importPkcs11js): Promise<Pkcs11Signer> {
    validate(cfg);
    const lib = await acquireModule(cfg.module, importer);
    let session: Buffer | undefined;
    try {
      const slot = findSlot(lib, cfg);
      session = call('C_OpenSession', () => lib.C_OpenSession(slot, CK.CKF_SERIAL_SESSION));
      try {
        lib.C_Login(session, CK.CKU_USER, cfg.pin);
      } catch (err) {
        if (ckr(err) !== 'CKR_USER_ALREADY_LOGGED_IN') throw pkcs11Error('C_Login', err);
      }
      const { key, spki } = findKey(lib, session, cfg);
      return new Pkcs11Signer(lib, cfg.module, session, key, spki);
    } catch (err) {
      if (session !== undefined) lib.C_CloseSession(session);
      await releaseModule(cfg.module);
      throw err;
    }
  }

  /** Signs `data` in the token. Throws `PkiError('KEY_BACKEND_ERROR')` on failure or after close(). */
  sign(data: Uint8Array): Promise<Uint8Array> {
    const result = this.#queue.then(() => this.#signNow(data));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #signNow(data: Uint8Array): Promise<Uint8Array> {
    const session = this.#session;
    if (session === undefined) throw new PkiError('KEY_BACKEND_ERROR', 'signer is closed');
    let mechanism: number;
    let input: Buffer;
    switch (this.algorithm) {
      case 'ed25519':
        [mechanism, input] = [CK.CKM_EDDSA, Buffer.from(data)];
        break;
      case 'rsa-pkcs1-sha256':
        [mechanism, input] = [CK.CKM_RSA_PKCS, Buffer.concat([DIGEST_INFO_PREFIX.sha256, hash('sha256', data, 'buffer')])];
        break;
      default: {
        const h = this.algorithm === 'ecdsa-p256-sha256' ? 'sha256' : this.algorithm === 'ecdsa-p384-sha384' ? 'sha384' : 'sha512';
        [mechanism, input] = [CK.CKM_ECDSA, hash(h, data, 'buffer')];
      }
    }
    let sig: Buffer;
    try {
      this.#lib.C_SignInit(session, { mechanism }, this.#key);
      sig = await this.#lib.C_SignAsync(session, input, Buffer.alloc(this.#sigSize));
    } catch (err) {
      throw pkcs11Error('C_Sign', err);
    }
    if (mechanism !== CK.CKM_ECDSA) return new Uint8Array(sig);
    const der = sig.length === this.#sigSize ? rawEcdsaToDer(sig) : null;
    if (der === null) throw new PkiError('KEY_BACKEND_ERROR', `token returned a ${sig.length}-byte ECDSA signature`);
    return der;
  }

  /** Closes the session (logging out when it was the last) and releases the module; idempotent. */
  async close(): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    await this.#queue;
    try {
      this.#lib.C_CloseSession(session);
    } catch {
      // The session may already be gone (token removed); releasing the module is what matters.
    }
    await releaseModule(this.#module);
  }
}

function validate(cfg: Pkcs11Config): void {
  const bad = (why: string) => new PkiError('BAD_KEY_CONFIG', `pkcs11 key: ${why}`);
  if (typeof cfg.module !== 'string' || cfg.module === '') throw bad('"module" must be the path of a PKCS#11 library');
  if (typeof cfg.pin !== 'string' || cfg.pin === '') throw bad('"pin" must be a non-empty string');
  if (cfg.slot !== undefined && (!Number.isSafeInteger(cfg.slot) || cfg.slot < 0)) throw bad('"slot" must be a slot ID (integer ≥ 0)');
  if (cfg.tokenLabel !== undefined && (typeof cfg.tokenLabel !== 'string' || cfg.tokenLabel === '')) throw bad('"tokenLabel" must be a non-empty string');
  if (cfg.keyLabel === undefined && cfg.keyId === undefined) throw bad('give "keyLabel" and/or "keyId"');
  if (cfg.keyLabel !== undefined && (typeof cfg.keyLabel !== 'string' || cfg.keyLabel === '')) throw bad('"keyLabel" must be a non-empty string');
  if (cfg.keyId !== undefined && (typeof cfg.keyId !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(cfg.keyId))) throw bad('"keyId" must be hex (CKA_ID)');
}

function call<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw pkcs11Error(what, err);
  }
}

function findSlot(lib: Pkcs11Lib, cfg: Pkcs11Config): Buffer {
  const slots = call('C_GetSlotList', () => lib.C_GetSlotList(true));
  for (const slot of slots) {
    if (cfg.slot !== undefined && slotId(slot) !== BigInt(cfg.slot)) continue;
    if (cfg.tokenLabel !== undefined && call('C_GetTokenInfo', () => lib.C_GetTokenInfo(slot)).label.trimEnd() !== cfg.tokenLabel) continue;
    return slot;
  }
  const which = [cfg.tokenLabel !== undefined ? `label "${cfg.tokenLabel}"` : '', cfg.slot !== undefined ? `slot ${cfg.slot}` : ''].filter(Boolean).join(', ');
  throw new PkiError('KEY_NOT_FOUND', `no PKCS#11 token ${which || 'present'} in ${cfg.module}`);
}

function slotId(handle: Buffer): bigint {
  let v = 0n;
  for (let i = handle.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(handle[i]!); // CK_ULONG, little-endian hosts
  return v;
}

function findObjects(lib: Pkcs11Lib, session: Buffer, template: { type: number; value: number | Buffer | string }[]): Buffer[] {
  return call('C_FindObjects', () => {
    lib.C_FindObjectsInit(session, template);
    try {
      return lib.C_FindObjects(session, 2);
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  });
}

function findKey(lib: Pkcs11Lib, session: Buffer, cfg: Pkcs11Config): { key: Buffer; spki: Uint8Array } {
  const selector = [
    ...(cfg.keyLabel !== undefined ? [{ type: CK.CKA_LABEL, value: cfg.keyLabel }] : []),
    ...(cfg.keyId !== undefined ? [{ type: CK.CKA_ID, value: Buffer.from(cfg.keyId, 'hex') }] : []),
  ];
  const described = [cfg.keyLabel !== undefined ? `label "${cfg.keyLabel}"` : '', cfg.keyId !== undefined ? `id ${cfg.keyId}` : ''].filter(Boolean).join(', ');
  const keys = findObjects(lib, session, [{ type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY }, ...selector]);
  if (keys.length === 0) throw new PkiError('KEY_NOT_FOUND', `no private key with ${described} on the token`);
  if (keys.length > 1) throw new PkiError('BAD_KEY_CONFIG', `several private keys match ${described}; add keyId`);
  const key = keys[0]!;
  const [typeAttr, idAttr] = call('C_GetAttributeValue', () => lib.C_GetAttributeValue(session, key, [{ type: CK.CKA_KEY_TYPE }, { type: CK.CKA_ID }]));
  const keyType = (typeAttr!.value as Buffer).readUInt32LE(0);
  // The public half: a public-key object with the private key's CKA_ID (the usual pairing).
  const pubs = findObjects(lib, session, [{ type: CK.CKA_CLASS, value: CK.CKO_PUBLIC_KEY }, { type: CK.CKA_ID, value: idAttr!.value as Buffer }]);
  if (keyType === CK.CKK_RSA) {
    const source = pubs[0] ?? key; // RSA private keys carry modulus and exponent themselves
    const [n, e] = call('C_GetAttributeValue', () => lib.C_GetAttributeValue(session, source, [{ type: CK.CKA_MODULUS }, { type: CK.CKA_PUBLIC_EXPONENT }]));
    return { key, spki: seq(seq(oid('1.2.840.113549.1.1.1'), nul()), bitString(seq(intBytes(n!.value as Buffer), intBytes(e!.value as Buffer)))) };
  }
  if (keyType !== CK.CKK_EC && keyType !== CK.CKK_EC_EDWARDS) throw new PkiError('UNSUPPORTED_KEY', `unsupported PKCS#11 key type 0x${keyType.toString(16)}`);
  if (pubs.length !== 1) throw new PkiError('KEY_NOT_FOUND', `no unique public key object with the CKA_ID of the private key (${described})`);
  const [params, point] = call('C_GetAttributeValue', () => lib.C_GetAttributeValue(session, pubs[0]!, [{ type: CK.CKA_EC_PARAMS }, { type: CK.CKA_EC_POINT }]));
  const paramsDer = params!.value as Buffer;
  const paramsHex = paramsDer.toString('hex');
  if (keyType === CK.CKK_EC_EDWARDS) {
    if (!ED25519_PARAMS.has(paramsHex)) throw new PkiError('UNSUPPORTED_KEY', 'unsupported Edwards curve (only Ed25519)');
    return { key, spki: seq(seq(oid('1.3.101.112')), bitString(unwrapPoint(point!.value as Buffer, 32))) };
  }
  const size = EC_CURVE_SIZE[paramsHex];
  if (size === undefined) throw new PkiError('UNSUPPORTED_KEY', `unsupported EC parameters ${paramsHex}`);
  return { key, spki: seq(seq(oid('1.2.840.10045.2.1'), paramsDer), bitString(unwrapPoint(point!.value as Buffer, 1 + 2 * size))) };
}

/** CKA_EC_POINT is a DER OCTET STRING by the standard; some tokens return the bare point. */
function unwrapPoint(value: Buffer, length: number): Buffer {
  if (value.length === length) return value;
  if (value[0] === 0x04 && value.length === length + 2 && value[1] === length) return value.subarray(2);
  if (value[0] === 0x04 && value.length === length + 3 && value[1] === 0x81 && value[2] === length) return value.subarray(3);
  throw new PkiError('BAD_PUBLIC_KEY', `malformed CKA_EC_POINT (${value.length} bytes)`);
}
