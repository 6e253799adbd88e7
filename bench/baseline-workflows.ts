/**
 * The benchmark's baseline: a round with no product logic. It does what an approval round does in
 * Temporal terms (start, the same two Updates, the same seven activity calls) and nothing else.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const baselineSubmission = defineUpdate<string>('submission');
export const baselineAccept = defineUpdate<string>('accept');

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function baselineRound(): Promise<string> {
  let opened = false;
  let accepted = false;
  setHandler(baselineSubmission, async () => {
    await condition(() => opened);
    return 'opened';
  });
  setHandler(baselineAccept, async () => {
    await noop(); // the decision's record
    accepted = true;
    return 'accepted';
  });
  await noop(); // open the round
  opened = true;
  await noop(); // review request
  await condition(() => accepted);
  await Promise.all([noop(), noop()]); // accepted notice, export
  await noop(); // exported record
  await noop(); // synced notice
  return 'done';
}
