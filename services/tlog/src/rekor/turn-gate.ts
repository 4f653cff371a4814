// Lets CPU-heavy request work start only one piece per event-loop turn, so that the I/O completions
// that arrive meanwhile (the sequencer's database answers, a cluster primary's replies) are handled
// between the pieces instead of after a whole burst of them.

/**
 * A queue of waiters released one per turn of the event loop (each from its own `setImmediate`
 * callback, and an immediate queued by an immediate runs on the next turn, after the poll phase).
 *
 * Why: 64 closed-loop clients answered by one batch send their next requests together. Each append
 * parses and verifies its entry for ~100-150 µs of CPU, so a burst of ~25 held the event loop for
 * several milliseconds, and the sequencer's next database answer waited behind it, which lengthened
 * every batch's cycle. Gated, the appends benchmark with workers 1 went from 2,717-2,739 to
 * 2,946-2,968 /s in alternating runs (docs/benchmarks.md). The cost is one more loop turn per append.
 */
export class TurnGate {
  private readonly queue: Array<() => void> = [];
  private scheduled = false;

  /** Resolves on a later turn of the event loop than the one it is called in, one waiter per turn. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.release);
      }
    });
  }

  private readonly release = (): void => {
    this.queue.shift()?.();
    if (this.queue.length > 0) setImmediate(this.release);
    else this.scheduled = false;
  };
}
