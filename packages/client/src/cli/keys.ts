import { generateKeyPair } from '../index.js';
import { COMMON_OPTIONS, output, type Command } from './command.js';
import { EXIT } from './context.js';

export const generateKeyPairCommand: Command = {
  name: 'generate-key-pair',
  summary: 'write an encrypted ECDSA P-256 private key (PREFIX.key) and its public key (PREFIX.pub)',
  usage: 'signet generate-key-pair [--output-key-prefix signet]   (password from SIGNET_PASSWORD or a prompt)',
  options: { ...COMMON_OPTIONS, 'output-key-prefix': { type: 'string', default: 'signet' } },
  async run(ctx, v) {
    const password = await ctx.password('Enter a password for the private key: ');
    const paths = await generateKeyPair(v['output-key-prefix'] as string, password);
    output(ctx, v, paths, [`Private key written to ${paths.privateKeyPath}`, `Public key written to ${paths.publicKeyPath}`]);
    return EXIT.OK;
  },
};
