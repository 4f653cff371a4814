import { baseUrl } from '../config.js';
import { requestJson } from '../http.js';

/**
 * A Rekor v1 REST client for the `signet log` commands: log info, entries by index or UUID, search,
 * and consistency proofs. Shapes are Rekor's (see docs/api-compatibility.md).
 */
export interface LogInfo {
  rootHash: string;
  treeSize: number;
  signedTreeHead: string;
  treeID: string;
}

export interface LogEntryAnon {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification?: {
    signedEntryTimestamp?: string;
    inclusionProof?: { logIndex: number; rootHash: string; treeSize: number; hashes: string[]; checkpoint: string };
  };
}

/** One entry with the 80-hex entry ID Rekor keys it by. */
export interface FetchedEntry extends LogEntryAnon {
  entryId: string;
}

export interface SearchQuery {
  email?: string;
  /** `sha256:<hex>` or bare hex (length picks the algorithm, as Rekor does). */
  hash?: string;
  /** A PEM public key or certificate. */
  publicKeyPem?: string;
  operator?: 'and' | 'or';
}

const single = (response: Record<string, LogEntryAnon>): FetchedEntry => {
  const [entryId, entry] = Object.entries(response)[0] ?? [];
  if (!entryId || !entry) throw new Error('empty log entry response');
  return { entryId, ...entry };
};

export class LogClient {
  private readonly url: string;
  constructor(url: string, private readonly fetcher: typeof fetch = fetch) {
    this.url = baseUrl(url);
  }

  info(): Promise<LogInfo> {
    return requestJson(`${this.url}/api/v1/log`, { fetch: this.fetcher });
  }

  async byIndex(index: number): Promise<FetchedEntry> {
    return single(await requestJson(`${this.url}/api/v1/log/entries?logIndex=${index}`, { fetch: this.fetcher }));
  }

  async byUuid(uuid: string): Promise<FetchedEntry> {
    return single(await requestJson(`${this.url}/api/v1/log/entries/${encodeURIComponent(uuid)}`, { fetch: this.fetcher }));
  }

  /** Up to 10 entries by index in one call (Rekor's retrieve limit). */
  async byIndices(indices: number[]): Promise<FetchedEntry[]> {
    const answer = await requestJson<Record<string, LogEntryAnon>[]>(`${this.url}/api/v1/log/entries/retrieve`, {
      method: 'POST',
      body: { logIndexes: indices },
      fetch: this.fetcher,
    });
    return answer.map(single);
  }

  /** Entry IDs matching the query (Rekor's /api/v1/index/retrieve). */
  search(q: SearchQuery): Promise<string[]> {
    const body: Record<string, unknown> = { operator: q.operator ?? 'and' };
    if (q.email) body.email = q.email;
    if (q.hash) body.hash = q.hash;
    if (q.publicKeyPem) body.publicKey = { format: 'x509', content: Buffer.from(q.publicKeyPem).toString('base64') };
    return requestJson(`${this.url}/api/v1/index/retrieve`, { method: 'POST', body, fetch: this.fetcher });
  }

  proof(firstSize: number, lastSize: number): Promise<{ rootHash: string; hashes: string[] }> {
    return requestJson(`${this.url}/api/v1/log/proof?firstSize=${firstSize}&lastSize=${lastSize}`, { fetch: this.fetcher });
  }
}
