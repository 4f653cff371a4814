#!/usr/bin/env node
// The `signet` executable: loads the TypeScript CLI through tsx (Node 20 cannot strip types).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
