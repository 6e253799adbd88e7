/**
 * One submission round of an item through accounting: sent (or re-sent), then accepted and exported,
 * or rejected, or retrieved. Decisions arrive as Workflow Updates so the person deciding gets the
 * result, or a clear refusal, at once. The round's state and logic are in `round.ts`; all I/O happens
 * in activities.
 */
import { allHandlersFinished, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { ApprovalActivities } from '../activities';
import {
  ApprovalRound,
  type DecisionAction,
  type DecisionInput,
  type DecisionInputOf,
  type RejectInput,
  type RoundInput,
  type RoundOutcome,
  type RoundState,
} from './round';

export type * from './round';

// The round's public API.
export const submissionUpdate = defineUpdate<RoundState>('submission');
export const acceptUpdate = defineUpdate<RoundState, [DecisionInput]>('accept');
export const rejectUpdate = defineUpdate<RoundState, [RejectInput]>('reject');
export const retryExportUpdate = defineUpdate<RoundState, [DecisionInput]>('retryExport');
export const retrieveUpdate = defineUpdate<RoundState, [DecisionInput]>('retrieve');
export const roundStateQuery = defineQuery<RoundState>('roundState');

export async function approvalRound(input: RoundInput): Promise<RoundOutcome> {
  const round = new ApprovalRound(input, {
    // Database writes retry until the database takes them again, however long a disk or lock problem
    // lasts: a decision or an export the ERP has booked must not be dropped. Refusals are non-retryable.
    store: proxyActivities<ApprovalActivities>({
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
    }),
    notifications: proxyActivities<ApprovalActivities>({
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
    }),
    exporter: (policy, summary) =>
      proxyActivities<ApprovalActivities>({
        startToCloseTimeout: policy.startToCloseMs,
        summary,
        retry: {
          initialInterval: policy.initialIntervalMs,
          maximumInterval: policy.maximumIntervalMs,
          backoffCoefficient: 2,
          maximumAttempts: policy.maximumAttempts,
          nonRetryableErrorTypes: ['ErpRefused'],
        },
      }),
  });

  setHandler(roundStateQuery, () => round.state);
  setHandler(submissionUpdate, async () => {
    await condition(() => round.state.opened || round.state.refusal !== undefined);
    return round.submission();
  });
  // Every decision is the same two steps: refused early by the validator, else recorded by the round.
  const decision = <A extends DecisionAction>(update: UpdateDefinition<RoundState, [DecisionInputOf<A>]>, action: A) =>
    setHandler(update, (input) => round.decide(action, input), { validator: (input: DecisionInputOf<A>) => round.validate(action, input) });
  decision(acceptUpdate, 'accept');
  decision(rejectUpdate, 'reject');
  decision(retryExportUpdate, 'retry-export');
  decision(retrieveUpdate, 'retrieve');

  // 1. Send: validate against the ERP's rules, lock the item, record who sent it.
  if (await round.open()) {
    // 2. Wait for decisions; every accept or retry runs one export. A step with reminder or
    //    escalation times waits on a durable timer for the next one due.
    while (!round.ended) {
      if (round.timersDue) await round.scheduleTimers();
      const due = round.nextTimer;
      const woken = () => round.exportDue || round.ended || round.timersDue;
      if (due === undefined) await condition(woken);
      else if (!(due > Date.now() && (await condition(woken, due - Date.now())))) await round.keepTimers();
      if (round.exportDue) await round.exportOnce();
    }
  }
  await condition(allHandlersFinished);
  return round.outcome();
}
