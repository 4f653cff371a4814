// openSigner: the one factory turning a KeyConfig into a Signer (exhaustive over the backends).
import { PkiError } from '../errors.js';
import type { KeyConfig } from './config.js';
import { EphemeralSigner } from './ephemeral.js';
import { FileSigner } from './file.js';
import { isSignatureAlgorithm } from './node-key.js';
import { Pkcs11Signer } from './pkcs11.js';
import type { Signer } from './signer.js';

/**
 * Opens the signer described by `cfg`. The config is validated at run time too, since it usually
 * comes from JSON or the environment. Throws `PkiError`: BAD_KEY_CONFIG (malformed config, key
 * mismatch), BAD_KEY_PASSWORD, KEY_NOT_FOUND, KEY_BACKEND_UNAVAILABLE (pkcs11js or the module
 * missing), KEY_BACKEND_ERROR (the HSM failed), plus the key checks' UNSUPPORTED_KEY / WEAK_KEY.
 */
export async function openSigner(cfg: KeyConfig): Promise<Signer> {
  if (typeof cfg !== 'object' || cfg === null) throw new PkiError('BAD_KEY_CONFIG', 'key config must be an object');
  switch (cfg.kind) {
    case 'ephemeral':
      requireAlgorithm(cfg.algorithm, 'ephemeral');
      return EphemeralSigner.generate(cfg.algorithm);
    case 'file':
      requireString(cfg.path, 'file', 'path');
      if (cfg.password !== undefined) requireString(cfg.password, 'file', 'password');
      if (cfg.algorithm !== undefined) requireAlgorithm(cfg.algorithm, 'file');
      return FileSigner.open(cfg.path, {
        ...(cfg.password !== undefined ? { password: cfg.password } : {}),
        ...(cfg.algorithm !== undefined ? { algorithm: cfg.algorithm } : {}),
      });
    case 'pkcs11':
      return Pkcs11Signer.open(cfg);
    default: {
      const never: never = cfg;
      throw new PkiError('BAD_KEY_CONFIG', `unknown key kind ${JSON.stringify((never as { kind?: unknown }).kind)}`);
    }
  }
}

function requireAlgorithm(value: unknown, kind: string): void {
  if (!isSignatureAlgorithm(value)) {
    throw new PkiError('BAD_KEY_CONFIG', `${kind} key: unknown algorithm ${JSON.stringify(value)}`);
  }
}

function requireString(value: unknown, kind: string, field: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new PkiError('BAD_KEY_CONFIG', `${kind} key: "${field}" must be a non-empty string`);
  }
}
