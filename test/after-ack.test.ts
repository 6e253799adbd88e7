import { afterAck } from '../bot/after-ack';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('post-ack jobs run one at a time, in order', async () => {
  const events: string[] = [];
  let releaseFirst!: () => void;
  const first = afterAck(async () => {
    events.push('first starts');
    await new Promise<void>((resolve) => (releaseFirst = resolve));
    events.push('first ends');
  });
  const second = afterAck(async () => {
    events.push('second starts');
  });
  await tick();
  expect(events).toEqual(['first starts']);
  releaseFirst();
  await Promise.all([first, second]);
  expect(events).toEqual(['first starts', 'first ends', 'second starts']);
});

test('a job that waits longer than its turn lets the next one run', async () => {
  const events: string[] = [];
  let releaseSlow!: () => void;
  const slow = afterAck(async () => {
    events.push('slow starts');
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    events.push('slow ends');
  });
  const next = afterAck(async () => {
    events.push('next runs');
  });
  await next; // resolves only because the slow job gave its turn up
  expect(events).toEqual(['slow starts', 'next runs']);
  releaseSlow();
  await slow;
});

test("a job starts only once the event loop has taken in what has arrived, not in the ack's own turn", async () => {
  const events: string[] = [];
  const job = afterAck(async () => {
    events.push('job runs');
  });
  // Everything already queued as a microtask (the rest of the ack, a request being parsed) goes first.
  await Promise.resolve();
  await Promise.resolve();
  events.push('ack path finished');
  await job;
  expect(events).toEqual(['ack path finished', 'job runs']);
});
