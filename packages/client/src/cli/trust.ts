import { ClientError, describeTrustedRoot, loadTrustedRoot, trustInit } from '../index.js';
import { COMMON_OPTIONS, configFlags, output, TRUST_OPTIONS, type Command } from './command.js';
import { EXIT, loadConfig, stateDirOf } from './context.js';

export const trustCommand: Command = {
  name: 'trust',
  summary: 'set up or show the trust material used for verification: init | show',
  usage: ['signet trust init --mirror URL|DIR --root root.json', 'signet trust init --trusted-root FILE', 'signet trust show'].join('\n       '),
  options: { ...COMMON_OPTIONS, ...TRUST_OPTIONS, mirror: { type: 'string' }, root: { type: 'string' } },
  async run(ctx, v, [sub]) {
    const config = await loadConfig(ctx, configFlags(v));
    const stateDir = stateDirOf(ctx, config);
    if (sub === 'init') {
      let root: unknown;
      if (typeof v['trusted-root'] === 'string') root = await trustInit({ kind: 'file', path: v['trusted-root'] }, stateDir);
      else if (typeof v.mirror === 'string' && typeof v.root === 'string') root = await trustInit({ kind: 'tuf', mirror: v.mirror, rootPath: v.root }, stateDir);
      else throw new ClientError('USAGE', 'trust init needs --mirror URL|DIR with --root root.json, or --trusted-root FILE');
      const lines = describeTrustedRoot(root);
      output(ctx, v, { stateDir, trustedRoot: root }, [`Trust initialised in ${stateDir}:`, ...lines]);
      return EXIT.OK;
    }
    if (sub === 'show') {
      const root = await loadTrustedRoot(config, stateDir);
      output(ctx, v, root, describeTrustedRoot(root));
      return EXIT.OK;
    }
    throw new ClientError('USAGE', 'trust needs a subcommand: init or show');
  },
};
