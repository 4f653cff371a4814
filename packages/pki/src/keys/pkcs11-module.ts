// The PKCS#11 library layer: lazy loading of pkcs11js, one initialised module per path and process
// (PKCS#11 allows C_Initialize once per process, and C_Finalize ends every session of it), and
// the mapping of Cryptoki return values to PkiError codes.
import { PkiError } from '../errors.js';

/** PKCS#11 v2.40 constants used by Signet (values from the standard's pkcs11t.h). */
export const CK = {
  CKF_RW_SESSION: 0x2,
  CKF_SERIAL_SESSION: 0x4,
  CKU_USER: 1,
  CKO_PUBLIC_KEY: 2,
  CKO_PRIVATE_KEY: 3,
  CKK_RSA: 0x0,
  CKK_EC: 0x3,
  CKK_EC_EDWARDS: 0x40,
  CKA_CLASS: 0x0,
  CKA_TOKEN: 0x1,
  CKA_PRIVATE: 0x2,
  CKA_LABEL: 0x3,
  CKA_VALUE: 0x11,
  CKA_KEY_TYPE: 0x100,
  CKA_ID: 0x102,
  CKA_SENSITIVE: 0x103,
  CKA_SIGN: 0x108,
  CKA_VERIFY: 0x10a,
  CKA_MODULUS: 0x120,
  CKA_MODULUS_BITS: 0x121,
  CKA_PUBLIC_EXPONENT: 0x122,
  CKA_EXTRACTABLE: 0x162,
  CKA_EC_PARAMS: 0x180,
  CKA_EC_POINT: 0x181,
  CKM_RSA_PKCS_KEY_PAIR_GEN: 0x0,
  CKM_RSA_PKCS: 0x1,
  CKM_EC_KEY_PAIR_GEN: 0x1040,
  CKM_ECDSA: 0x1041,
  CKM_EC_EDWARDS_KEY_PAIR_GEN: 0x1055,
  CKM_EDDSA: 0x1057,
} as const;

type Handle = Buffer;
/** An attribute in a template (value absent when reading). */
export interface Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}

/**
 * The part of pkcs11js's `PKCS11` class Signet uses, declared here so that the package type-checks
 * without the optional native module installed.
 */
export interface Pkcs11Lib {
  load(path: string): void;
  close(): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): { label: string };
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Attribute[];
  C_SignInit(session: Handle, mechanism: { mechanism: number }, key: Handle): void;
  C_SignAsync(session: Handle, inData: Buffer, outData: Buffer): Promise<Buffer>;
  C_GenerateKeyPair(session: Handle, mechanism: { mechanism: number }, publicTemplate: Attribute[], privateTemplate: Attribute[]): { publicKey: Handle; privateKey: Handle };
}

/** How pkcs11js is imported; replaceable in tests to simulate a missing module. */
export type Pkcs11Importer = () => Promise<{ PKCS11: new () => Pkcs11Lib }>;

interface OpenModule {
  lib: Pkcs11Lib;
  refs: number;
}
const modules = new Map<string, Promise<OpenModule>>();

/**
 * Loads and initialises the PKCS#11 module at `path` (shared and reference-counted per process).
 * Throws `PkiError('KEY_BACKEND_UNAVAILABLE')` when pkcs11js is not installed or the module cannot
 * be loaded or initialised.
 */
export async function acquireModule(path: string, importer: Pkcs11Importer): Promise<Pkcs11Lib> {
  let pending = modules.get(path);
  if (pending === undefined) {
    pending = loadModule(path, importer);
    modules.set(path, pending);
    pending.catch(() => modules.delete(path));
  }
  const open = await pending;
  open.refs++;
  return open.lib;
}

async function loadModule(path: string, importer: Pkcs11Importer): Promise<OpenModule> {
  let PKCS11: new () => Pkcs11Lib;
  try {
    ({ PKCS11 } = await importer());
  } catch (err) {
    throw new PkiError('KEY_BACKEND_UNAVAILABLE', 'the PKCS#11 backend needs the optional package pkcs11js (npm install pkcs11js)', { cause: err });
  }
  const lib = new PKCS11();
  try {
    lib.load(path);
  } catch (err) {
    throw new PkiError('KEY_BACKEND_UNAVAILABLE', `cannot load PKCS#11 module ${path}`, { cause: err });
  }
  try {
    lib.C_Initialize();
  } catch (err) {
    if (ckr(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      lib.close();
      throw new PkiError('KEY_BACKEND_UNAVAILABLE', `cannot initialise PKCS#11 module ${path}: ${ckr(err) ?? String(err)}`, { cause: err });
    }
  }
  return { lib, refs: 0 };
}

/** Drops one reference to the module at `path`; the last one finalises and unloads it. */
export async function releaseModule(path: string): Promise<void> {
  const pending = modules.get(path);
  if (pending === undefined) return;
  const open = await pending;
  if (--open.refs > 0) return;
  modules.delete(path);
  try {
    open.lib.C_Finalize();
  } finally {
    open.lib.close();
  }
}

/** The CKR_* name of a pkcs11js error, if it is one. */
export function ckr(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  return /^CKR_[A-Z_]+/.exec(message)?.[0];
}

/** Wraps a Cryptoki failure as PkiError with the code that fits its return value. */
export function pkcs11Error(what: string, err: unknown): PkiError {
  const name = ckr(err);
  switch (name) {
    case 'CKR_PIN_INCORRECT':
    case 'CKR_PIN_INVALID':
    case 'CKR_PIN_LEN_RANGE':
    case 'CKR_PIN_EXPIRED':
    case 'CKR_PIN_LOCKED':
      return new PkiError('BAD_KEY_PASSWORD', `${what}: ${name}`, { cause: err });
    default:
      return new PkiError('KEY_BACKEND_ERROR', `${what}: ${name ?? String(err)}`, { cause: err });
  }
}
