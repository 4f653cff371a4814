// SoftHSM2 test tokens: a throw-away token directory, token initialisation with softhsm2-util and
// key-pair generation INSIDE the token (private keys sensitive and non-extractable), through
// pkcs11js. Tests only; they run wherever `softhsm2-util` is installed (Debian: softhsm2).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CK, type Pkcs11Lib, acquireModule, releaseModule } from '../keys/pkcs11-module.js';
import { importPkcs11js } from '../keys/pkcs11.js';

const MODULE_PATHS = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so', '/usr/lib64/pkcs11/libsofthsm2.so'];

/** Why SoftHSM2 tests cannot run here, or undefined when they can. */
export function softhsmUnavailableReason(): string | undefined {
  const probe = spawnSync('softhsm2-util', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return 'softhsm2-util is not installed (Debian: apt-get install softhsm2)';
  if (softhsmModulePath() === undefined) return `softhsm2-util found but libsofthsm2.so is in none of ${MODULE_PATHS.join(', ')}`;
  return undefined;
}

/** Path of libsofthsm2.so, if installed. */
export function softhsmModulePath(): string | undefined {
  return MODULE_PATHS.find((p) => existsSync(p));
}

/** A SoftHSM2 configuration in a fresh temporary directory (sets SOFTHSM2_CONF for this process). */
export interface SoftHsm {
  module: string;
  dir: string;
  /** Initialises a token in the first free slot; returns its slot ID. */
  initToken(label: string, pin: string, soPin?: string): number;
  /** Removes the directory. */
  dispose(): void;
}

/** Creates the temporary SoftHSM2 setup. Call before the module is first initialised. */
export function createSoftHsm(): SoftHsm {
  const module = softhsmModulePath();
  if (module === undefined) throw new Error('libsofthsm2.so not found');
  const dir = mkdtempSync(join(tmpdir(), 'signet-softhsm-'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(join(dir, '.keep'), '');
  writeFileSync(conf, `directories.tokendir = ${dir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  return {
    module,
    dir,
    initToken(label, pin, soPin = '12345678') {
      const out = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
        encoding: 'utf8',
        env: { ...process.env, SOFTHSM2_CONF: conf },
      });
      if (out.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${out.stderr}${out.stdout}`);
      const m = /reassigned to slot (\d+)/.exec(out.stdout);
      if (m === null) throw new Error(`cannot read the slot from: ${out.stdout}`);
      return Number(m[1]);
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Key types the test helper can generate in a token. */
export type TokenKeyType = 'P-256' | 'P-384' | 'rsa-2048' | 'ed25519';

const EC_PARAMS: Record<string, Buffer> = {
  'P-256': Buffer.from('06082a8648ce3d030107', 'hex'),
  'P-384': Buffer.from('06052b81040022', 'hex'),
  ed25519: Buffer.from('06032b6570', 'hex'),
};

/**
 * Generates a key pair inside the token labelled `tokenLabel` (C_GenerateKeyPair): the private
 * key is CKA_TOKEN, CKA_SENSITIVE and not CKA_EXTRACTABLE; both halves get `label` and `id` (hex).
 */
export async function generateTokenKey(module: string, tokenLabel: string, pin: string, type: TokenKeyType, label: string, id: string): Promise<void> {
  const lib: Pkcs11Lib = await acquireModule(module, importPkcs11js);
  try {
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === tokenLabel);
    if (slot === undefined) throw new Error(`no token ${tokenLabel}`);
    const session = lib.C_OpenSession(slot, CK.CKF_SERIAL_SESSION | CK.CKF_RW_SESSION);
    try {
      try {
        lib.C_Login(session, CK.CKU_USER, pin);
      } catch (err) {
        if (!String((err as Error).message).startsWith('CKR_USER_ALREADY_LOGGED_IN')) throw err;
      }
      const common = [
        { type: CK.CKA_TOKEN, value: true },
        { type: CK.CKA_LABEL, value: label },
        { type: CK.CKA_ID, value: Buffer.from(id, 'hex') },
      ];
      const priv = [...common, { type: CK.CKA_SIGN, value: true }, { type: CK.CKA_PRIVATE, value: true }, { type: CK.CKA_SENSITIVE, value: true }, { type: CK.CKA_EXTRACTABLE, value: false }];
      if (type === 'rsa-2048') {
        const pub = [...common, { type: CK.CKA_VERIFY, value: true }, { type: CK.CKA_MODULUS_BITS, value: 2048 }, { type: CK.CKA_PUBLIC_EXPONENT, value: Buffer.from('010001', 'hex') }];
        lib.C_GenerateKeyPair(session, { mechanism: CK.CKM_RSA_PKCS_KEY_PAIR_GEN }, pub, priv);
      } else {
        const pub = [...common, { type: CK.CKA_VERIFY, value: true }, { type: CK.CKA_EC_PARAMS, value: EC_PARAMS[type]! }];
        const mechanism = type === 'ed25519' ? CK.CKM_EC_EDWARDS_KEY_PAIR_GEN : CK.CKM_EC_KEY_PAIR_GEN;
        lib.C_GenerateKeyPair(session, { mechanism }, pub, priv);
      }
    } finally {
      lib.C_CloseSession(session);
    }
  } finally {
    await releaseModule(module);
  }
}

/** Tries to read CKA_VALUE of the private key labelled `label`: resolves to the Cryptoki error name. */
export async function tryExtractPrivateKey(module: string, tokenLabel: string, pin: string, label: string): Promise<string> {
  const lib = await acquireModule(module, importPkcs11js);
  try {
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === tokenLabel)!;
    const session = lib.C_OpenSession(slot, CK.CKF_SERIAL_SESSION);
    try {
      try {
        lib.C_Login(session, CK.CKU_USER, pin);
      } catch (err) {
        if (!String((err as Error).message).startsWith('CKR_USER_ALREADY_LOGGED_IN')) throw err;
      }
      lib.C_FindObjectsInit(session, [{ type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY }, { type: CK.CKA_LABEL, value: label }]);
      const [key] = lib.C_FindObjects(session, 1);
      lib.C_FindObjectsFinal(session);
      try {
        lib.C_GetAttributeValue(session, key!, [{ type: CK.CKA_VALUE }]);
        return 'EXTRACTED';
      } catch (err) {
        return /^CKR_[A-Z_]+/.exec((err as Error).message)?.[0] ?? String(err);
      }
    } finally {
      lib.C_CloseSession(session);
    }
  } finally {
    await releaseModule(module);
  }
}
