import { ClientError } from './errors.js';

/**
 * The client's one HTTP helper for its own calls to Signet services (the signing path goes through
 * @sigstore/sign's fetcher): JSON in and out, a timeout, and errors that name the service's message.
 */
export async function requestJson<T>(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<T> {
  const fetcher = init.fetch ?? fetch;
  let res: Response;
  try {
    res = await fetcher(url, {
      method: init.method ?? 'GET',
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
  } catch (cause) {
    throw new ClientError('SERVICE_ERROR', `${url} is unreachable: ${(cause as Error).message}`, { cause });
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text.slice(0, 300);
    try {
      message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
    } catch {
      // not JSON: keep the text
    }
    throw new ClientError('SERVICE_ERROR', `${url} answered ${res.status}: ${message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new ClientError('SERVICE_ERROR', `${url} did not answer JSON`, { cause });
  }
}
