// A manual clock with timers, for tests that must not depend on real time.
import type { Timers } from '../log/options.js';

interface Pending {
  at: number;
  fn: () => void;
  id: number;
}

/**
 * `now()` returns a time that only `advance()` moves; `timers` fire when `advance()` passes their
 * due time (in due order). Pass `{ now: clock.now, timers: clock.timers }` to `Log.open`.
 */
export class FakeClock {
  private t: number;
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = this.nextId++;
      this.pending.push({ at: this.t + Math.max(0, ms), fn, id });
      return id;
    },
    clearTimeout: (handle) => {
      this.pending = this.pending.filter((p) => p.id !== handle);
    },
  };

  /** Timers waiting to fire. */
  get timerCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.pending[0];
      if (next === undefined || next.at > until) break;
      this.pending.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = until;
  }
}
