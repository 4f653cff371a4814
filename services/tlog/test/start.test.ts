// startTlog, the function the stack launcher calls: the Rekor log and, when configured, the CT log
// on one listening server and one store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pemEncode } from '@signet/pki';
import { loadConfig } from '../src/config.js';
import { startTlog } from '../src/main.js';
import { certificateChain, clientKey } from './testonly/fixtures.js';

test('startTlog serves the Rekor log and the CT log side by side, then closes cleanly', async () => {
  const chain = await certificateChain(clientKey());
  const config = loadConfig({ SIGNET_TLOG_PORT: '0', SIGNET_TLOG_LOG_LEVEL: 'silent' }, `ct: {rootsPem: ${JSON.stringify(pemEncode('CERTIFICATE', chain.rootDer))}}`);
  const tlog = await startTlog(config);
  try {
    assert.match(tlog.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const info = (await (await fetch(`${tlog.url}/api/v1/log`)).json()) as { treeSize: number };
    assert.equal(info.treeSize, 0);
    assert.ok(tlog.ct, 'CT configured');
    assert.equal(tlog.ct.url, `${tlog.url}/ct`);
    const sth = await fetch(`${tlog.ct.url}/ct/v1/get-sth`);
    assert.equal(sth.status, 200);
    assert.equal(((await sth.json()) as { tree_size: number }).tree_size, 0);
    assert.notDeepEqual(Buffer.from(tlog.ct.publicKeyDer), Buffer.from(tlog.publicKeyDer), 'each log has its own key');
  } finally {
    await tlog.close();
    await tlog.close(); // idempotent
  }
  await assert.rejects(fetch(`${tlog.url}/api/v1/log`));
});
