// Every benchmark stops by itself: a watchdog ends it after a deadline, and SIGINT/SIGTERM (or the
// watchdog) stop the services it started and drop its schemas before it exits.
const steps: (() => void | Promise<void>)[] = [];
let running = false;

/** Registers a cleanup step (run last-registered first); returns a function that unregisters it. */
export function onCleanup(step: () => void | Promise<void>): () => void {
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) steps.splice(i, 1);
  };
}

async function cleanupAndExit(why: string): Promise<never> {
  if (!running) {
    running = true;
    process.stderr.write(`\nbenchmark stopping: ${why}\n`);
    for (const step of steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        process.stderr.write(`cleanup step failed: ${(err as Error).message}\n`);
      }
    }
  }
  process.exit(1);
}

/** Installs the signal handlers and a watchdog of `maxMs`. */
export function guard(maxMs: number): void {
  process.once('SIGINT', () => void cleanupAndExit('SIGINT'));
  process.once('SIGTERM', () => void cleanupAndExit('SIGTERM'));
  setTimeout(() => void cleanupAndExit(`watchdog: still running after ${Math.round(maxMs / 1000)} s`), maxMs).unref();
}
