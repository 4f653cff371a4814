#!/usr/bin/env node
// Builds @signet/pki's native ECDSA addon (build/Release/signet_ecdsa.node) with node-gyp. Run by
// the root package's postinstall, so `npm install` / `npm ci` build it. It never fails the install:
// without a C compiler the addon is missing and @signet/pki uses its node:crypto fallbacks
// (slower P-384 signing and prehashed verification; `nativeEcdsaStatus()` says which is in use).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// node-gyp: the one npm runs scripts with, else the copy bundled with npm next to this node.
const candidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
].filter((p) => p !== undefined && existsSync(p));
if (candidates.length === 0) {
  console.warn('@signet/pki native addon: node-gyp not found; using the node:crypto fallbacks');
  process.exit(0);
}
// Build against this node's own headers when it has them (distribution packages and the official
// tarballs install include/node), so no header download is needed offline.
const prefix = join(dirname(process.execPath), '..');
const args = [candidates[0], 'rebuild'];
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_api.h'))) args.push(`--nodedir=${prefix}`);
const result = spawnSync(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (result.status === 0 && existsSync(join(here, 'build/Release/signet_ecdsa.node'))) {
  console.log('@signet/pki native addon: built');
} else {
  console.warn(`@signet/pki native addon: build failed (using the node:crypto fallbacks)\n${(result.stderr ?? '').split('\n').slice(-15).join('\n')}`);
}
