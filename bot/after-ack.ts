/**
 * The work a listener does after its ack (checks, reads, the decision) runs one job at a time, so a
 * burst of clicks does not make later requests wait for their ack behind all of that work: Slack needs
 * the ack within 3 seconds; the modal or the decision can follow a moment later. A job that waits
 * (on Temporal, or on a locked database) gives its turn up after SLOT_MS, so it holds nobody up.
 * A job starts only after the requests already received have been acked.
 */
const MAX_RUNNING = 1;
const SLOT_MS = 250;
let running = 0;
const waiting: (() => void)[] = [];

export async function afterAck<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  // SQLite reads through Prisma never leave the microtask queue, so once started a job holds the
  // thread until its first network call. Starting it from the check phase lets the event loop first
  // take in and ack the requests that have already arrived.
  await new Promise<void>((resolve) => setImmediate(resolve));
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    running -= 1;
    waiting.shift()?.();
  };
  const timer = setTimeout(release, SLOT_MS);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    release();
  }
}
