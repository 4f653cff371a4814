// Appends forwarded from processes that do not sequence (node:cluster workers) to the one process of
// the host that does (the cluster primary): one sequencer per log per host, so the workers never
// race each other for the head. See docs/design/sequencer.md, "One sequencer per host".
import type { LogHead } from '@signet/storage';
import { LogError, type LogErrorCode } from '../errors.js';
import type { Appended } from './sequencer.js';

/**
 * One end of a message channel that carries structured-clone data (Uint8Array, bigint): a cluster
 * worker's `process` or the primary's `Worker` with `serialization: 'advanced'`, or a MessagePort.
 */
export interface Channel {
  /** Sends `message`; `onError` is called if it could not be sent (the other end is gone). */
  send(message: unknown, onError: (err: Error) => void): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** An append as it crosses the channel (validated by the sender's `Log.append`). */
export interface ForwardedEntry {
  body: Uint8Array;
  searchKeys: string[];
  extra: Uint8Array | null;
}

/** Where a `Log` sends its appends instead of sequencing them itself (`LogOptions.forwardTo`). */
export interface AppendForwarder {
  /** Resolves like `Log.append` on the sequencing side; rejects with its LogError. */
  append(entry: ForwardedEntry): Promise<Appended>;
  /** Registers a listener for every head the sequencing process commits (optional). */
  onHead?(listener: (head: LogHead) => void): void;
}

interface AppendRequest extends ForwardedEntry {
  id: number;
}

interface WireError {
  code: LogErrorCode;
  message: string;
  details: LogError['details'];
}

/**
 * An `Appended` as it crosses the channel: the proof's hashes concatenated into one byte array. The
 * structured-clone serialiser pays a JS callback per byte array, and a proof has ~log2(n) of them.
 */
interface WireAppended extends Omit<Appended, 'proof'> {
  proof: Uint8Array;
}

interface AppendReply {
  id: number;
  ok?: WireAppended;
  error?: WireError;
}

/** Message tags: other traffic on the same channel (e.g. the CA's key hand-over) is ignored. */
const REQUESTS = 'signetTlogAppend';
const REPLIES = 'signetTlogAppended';
const HEADS = 'signetTlogHead';

function itemsOf<T>(message: unknown, tag: string): T[] | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const items = (message as Record<string, unknown>)[tag];
  return Array.isArray(items) ? (items as T[]) : undefined;
}

/**
 * Collects what is sent in one turn of the event loop into one message: a batch of appends costs
 * one serialisation and one pipe write, not one per entry.
 */
class Outbox<T> {
  private items: T[] = [];
  private pending: NodeJS.Immediate | undefined;

  constructor(
    private readonly channel: Channel,
    private readonly tag: string,
    private readonly onLost: (items: T[], err: Error) => void,
  ) {}

  push(item: T): void {
    this.items.push(item);
    this.pending ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.pending !== undefined) clearImmediate(this.pending);
    this.pending = undefined;
    const items = this.items;
    if (items.length === 0) return;
    this.items = [];
    try {
      this.channel.send({ [this.tag]: items }, (err) => this.onLost(items, err));
    } catch (err) {
      this.onLost(items, err as Error);
    }
  }
}

/** The forwarding side (a cluster worker): sends appends to the sequencing process, awaits answers. */
export class AppendClient implements AppendForwarder {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (a: Appended) => void; reject: (e: Error) => void }>();
  private readonly outbox: Outbox<AppendRequest>;
  private gone: LogError | undefined;

  constructor(channel: Channel) {
    this.outbox = new Outbox(channel, REQUESTS, (items, err) => {
      for (const it of items) this.settle(it.id, { error: { code: 'STORAGE_FAILURE', message: `the sequencing process is unreachable: ${err.message}`, details: {} } });
    });
    channel.onMessage((m) => {
      const head = headOf(m);
      if (head !== undefined) for (const l of this.headListeners) l(head);
      for (const r of itemsOf<AppendReply>(m, REPLIES) ?? []) this.settle(r.id, r);
    });
  }

  private readonly headListeners: ((head: LogHead) => void)[] = [];

  onHead(listener: (head: LogHead) => void): void {
    this.headListeners.push(listener);
  }

  append(entry: ForwardedEntry): Promise<Appended> {
    if (this.gone !== undefined) return Promise.reject(this.gone);
    const id = this.next++;
    return new Promise<Appended>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.outbox.push({ id, body: entry.body, searchKeys: entry.searchKeys, extra: entry.extra });
    });
  }

  /**
   * The sequencing process is gone: every append still waiting fails with STORAGE_FAILURE (it may
   * have been committed; it was not acknowledged) and so does every later one.
   */
  disconnected(): void {
    this.gone = new LogError('STORAGE_FAILURE', 'the sequencing process exited');
    for (const id of [...this.waiting.keys()]) this.settle(id, { error: { code: 'STORAGE_FAILURE', message: this.gone.message, details: {} } });
  }

  private settle(id: number, r: Omit<AppendReply, 'id'>): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    if (r.ok !== undefined) {
      const { proof, ...rest } = r.ok;
      const hashes: Uint8Array[] = [];
      for (let at = 0; at < proof.length; at += 32) hashes.push(proof.subarray(at, at + 32));
      w.resolve({ ...rest, proof: hashes });
    }
    else w.reject(new LogError(r.error?.code ?? 'STORAGE_FAILURE', r.error?.message ?? 'malformed answer from the sequencing process', r.error?.details ?? {}));
  }
}

/**
 * The sequencing side (the cluster primary): appends what arrives on `channel` to `log` and answers
 * each once its batch is committed. An answer that cannot be delivered (the worker died) is dropped:
 * the entry is in the log unacknowledged, the same as a client whose connection broke.
 */
export function serveAppends(
  log: { append(e: ForwardedEntry): Promise<Appended>; onCommittedHead?(listener: (head: LogHead) => void): void },
  channel: Channel,
): void {
  const outbox = new Outbox<AppendReply>(channel, REPLIES, () => {});
  // Every committed head goes to the worker before the answers of its batch (they wait for the
  // outbox's next turn), so a worker that forwarded nothing still knows every head handed out.
  log.onCommittedHead?.((head) => {
    try {
      channel.send({ [HEADS]: head }, () => {});
    } catch {
      // the worker is gone; its exit is handled by the cluster
    }
  });
  channel.onMessage((m) => {
    for (const r of itemsOf<AppendRequest>(m, REQUESTS) ?? []) {
      log.append({ body: r.body, searchKeys: r.searchKeys, extra: r.extra }).then(
        (ok) => outbox.push({ id: r.id, ok: { ...ok, proof: Buffer.concat(ok.proof) } }),
        (e: unknown) => outbox.push({ id: r.id, error: wireError(e) }),
      );
    }
  });
}

function headOf(message: unknown): LogHead | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const h = (message as Record<string, unknown>)[HEADS] as Partial<LogHead> | undefined;
  if (h === undefined || typeof h.size !== 'bigint' || !(h.rootHash instanceof Uint8Array) || typeof h.checkpoint !== 'string') return undefined;
  return { size: h.size, rootHash: h.rootHash, checkpoint: h.checkpoint };
}

function wireError(e: unknown): WireError {
  if (e instanceof LogError) return { code: e.code, message: e.message, details: e.details };
  return { code: 'STORAGE_FAILURE', message: 'appending failed in the sequencing process', details: {} };
}
