import { writeFile, access } from 'node:fs/promises';
import { generatePrivateKeyPem, publicKeyPemOf } from '@signet/pki';
import { ClientError } from './errors.js';

/**
 * `signet generate-key-pair`: an ECDSA P-256 key (what cosign generates), the private half as
 * encrypted PKCS#8 PEM (AES-256-CBC, scrypt/PBKDF2 from OpenSSL) and the public half as SPKI PEM.
 * Existing files are never overwritten.
 */
export async function generateKeyPair(prefix: string, password: string): Promise<{ privateKeyPath: string; publicKeyPath: string }> {
  if (password.length === 0) throw new ClientError('USAGE', 'refusing to write an unencrypted private key: give a non-empty password');
  const privateKeyPath = `${prefix}.key`;
  const publicKeyPath = `${prefix}.pub`;
  for (const path of [privateKeyPath, publicKeyPath]) {
    const exists = await access(path).then(() => true, () => false);
    if (exists) throw new ClientError('IO', `${path} already exists; not overwriting it`);
  }
  const privateKeyPem = generatePrivateKeyPem('ecdsa-p256-sha256', password);
  await writeFile(privateKeyPath, privateKeyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(publicKeyPath, publicKeyPemOf(privateKeyPem, password), { flag: 'wx' });
  return { privateKeyPath, publicKeyPath };
}
