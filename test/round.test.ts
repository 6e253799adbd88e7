/**
 * The round's workflow on its own: a real Temporal server and the real workflow bundle, with the
 * activities stubbed here (no database, no ERP). Each test drives the round through its Updates and
 * reads what it recorded, exported and announced.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Notice } from '../activities/types';
import type { ExportResult, OpenedRound, OpenRoundInput, TransitionInput } from '../activities';
import {
  acceptUpdate,
  approvalRound,
  rejectUpdate,
  retrieveUpdate,
  retryExportUpdate,
  roundStateQuery,
  submissionUpdate,
} from '../workflows';
import type { RoundInput } from '../workflows';
import { startTestTemporal } from './support/harness';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTestTemporal();
});

afterAll(() => env?.teardown());

const PAT = { id: 'u-pat', name: 'Pat Morgan' };
const DANA = { id: 'u-dana', name: 'Dana Lee' };
const SAM = { id: 'u-sam', name: 'Sam Ortiz' };

/** A latch a stub waits on, so a test can hold an activity in flight. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

interface Stubs {
  openRound?: (input: OpenRoundInput) => Promise<OpenedRound>;
  recordTransition?: (input: TransitionInput) => Promise<void>;
  exportItem?: (input: { type: string; ref: string; round: number }) => Promise<ExportResult>;
}

/** Runs `body` against a worker whose activities are `stubs`; every call is kept in `calls`. */
async function withRound(stubs: Stubs, body: (round: WorkflowHandle<typeof approvalRound>, calls: Calls) => Promise<void>): Promise<void> {
  const calls: Calls = { transitions: [], notices: [], exports: 0 };
  const taskQueue = `round-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string },
    activities: {
      openRound: stubs.openRound ?? (async () => ({ previousRejection: null, snapshotHash: 'abc123' })),
      recordTransition: async (input: TransitionInput) => {
        calls.transitions.push(input);
        await stubs.recordTransition?.(input);
      },
      exportItem: async (input: { type: string; ref: string; round: number }) => {
        calls.exports += 1;
        return stubs.exportItem ? stubs.exportItem(input) : { erpId: 'SBX-1', snapshotHash: 'abc123' };
      },
      notify: async (notice: Notice) => {
        calls.notices.push(notice);
      },
    },
  });
  const input: RoundInput = {
    item: { type: 'cco', ref: 'CO-7', projectRef: 'P-1', title: 'Extra rebar', totalCents: 425025, creator: PAT },
    kind: 'send',
    fromStatus: 'NotSent',
    round: 1,
    by: PAT,
    exportPolicy: { initialIntervalMs: 10, maximumIntervalMs: 20, maximumAttempts: 3, startToCloseMs: 5_000 },
  };
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(approvalRound, { taskQueue, workflowId: `erp:cco:CO-7:${randomUUID()}`, args: [input] });
    await body(handle, calls);
  });
}

interface Calls {
  transitions: TransitionInput[];
  notices: Notice[];
  exports: number;
}

/** The refusal an Update was answered with: its type and words. */
async function refusal(update: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  try {
    await update;
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
    if (cause instanceof ApplicationFailure) return { type: cause.type ?? undefined, message: cause.message };
    throw err;
  }
  throw new Error('The update was not refused');
}

test('accepted and exported: the history, the export and the notices, in order', async () => {
  await withRound({}, async (round, calls) => {
    const opened = await round.executeUpdate(submissionUpdate);
    expect(opened).toMatchObject({ status: 'ReadyToExport', opened: true, snapshotHash: 'abc123' });
    const accepted = await round.executeUpdate(acceptUpdate, { args: [{ by: DANA, description: 'Matches RFI 14' }] });
    expect(accepted.status).toBe('Exporting');
    const outcome = await round.result();
    expect(outcome.status).toBe('Synced');
    expect(outcome.erpId).toBe('SBX-1');
    expect(calls.exports).toBe(1);
    expect(calls.transitions.map((t) => [t.transition, t.by, t.snapshotHash])).toEqual([
      ['accept', DANA.id, 'abc123'],
      ['exported', undefined, 'abc123'],
    ]);
    expect(calls.transitions[0]?.description).toBe('Matches RFI 14');
    expect(calls.notices.map((n) => n.kind)).toEqual(['review-requested', 'accepted', 'synced']);
    // Each move has its own key, so a retried write or delivery lands once.
    const keys = [...calls.transitions.map((t) => t.eventKey), ...calls.notices.map((n) => n.eventKey)];
    expect(new Set(calls.transitions.map((t) => t.eventKey)).size).toBe(2);
    expect(keys.every((key) => key.startsWith(`${round.workflowId}#1:`))).toBe(true);
  });
});

test('a rejection without a reason is refused by the round itself and records nothing; with one it ends the round', async () => {
  await withRound({}, async (round, calls) => {
    await round.executeUpdate(submissionUpdate);
    const blank = await refusal(round.executeUpdate(rejectUpdate, { args: [{ by: DANA, reason: '   ' }] }));
    expect(blank).toEqual({ type: 'InvalidRequest', message: 'A reason is required: tell the creator what to fix.' });
    expect(calls.transitions).toEqual([]);
    const rejected = await round.executeUpdate(rejectUpdate, { args: [{ by: DANA, reason: 'Split the labor' }] });
    expect(rejected.status).toBe('Rejected');
    const outcome = await round.result();
    expect(outcome.decisions.map((d) => d.action)).toEqual(['send', 'reject']);
    expect(calls.transitions.map((t) => [t.transition, t.reason])).toEqual([['reject', 'Split the labor']]);
    expect(calls.notices.at(-1)).toMatchObject({ kind: 'rejected', reason: 'Split the labor', by: DANA });
  });
});

test('a decision on what an earlier round showed is refused by the round itself, whatever got past the desk', async () => {
  await withRound({}, async (round, calls) => {
    await round.executeUpdate(submissionUpdate);
    const stale = await refusal(round.executeUpdate(acceptUpdate, { args: [{ by: DANA, round: 0 }] }));
    expect(stale).toMatchObject({ type: 'NotAwaitingDecision', message: expect.stringContaining('it is now round 1, a new version') });
    expect(calls.transitions).toEqual([]);
    expect((await round.executeUpdate(acceptUpdate, { args: [{ by: DANA, round: 1 }] })).status).toBe('Exporting');
  });
});

test('of two racing decisions the first is recorded and the second told whose decision is in flight', async () => {
  const hold = latch();
  const recording = latch();
  await withRound(
    {
      recordTransition: async (input) => {
        if (input.transition === 'accept') {
          recording.open();
          await hold.opened;
        }
      },
    },
    async (round, calls) => {
      await round.executeUpdate(submissionUpdate);
      const first = round.executeUpdate(acceptUpdate, { args: [{ by: DANA }] });
      await recording.opened;
      const second = await refusal(round.executeUpdate(rejectUpdate, { args: [{ by: SAM, reason: 'Wrong vendor' }] }));
      expect(second.type).toBe('NotAwaitingDecision');
      expect(second.message).toMatch(/^commitment change order CO-7 is already being accepted by Dana Lee \(since .+\)\.$/);
      hold.open();
      expect((await first).status).toBe('Exporting');
      expect((await round.result()).status).toBe('Synced');
      expect(calls.transitions.map((t) => t.transition)).toEqual(['accept', 'exported']);
    },
  );
});

test('a decision before the send is recorded is told to wait; a decision its status does not allow names what can be done', async () => {
  const hold = latch();
  await withRound(
    {
      openRound: async () => {
        await hold.opened;
        return { previousRejection: null, snapshotHash: null };
      },
      exportItem: async () => {
        throw ApplicationFailure.nonRetryable('Job RC-24 is closed to new commitments.', 'ErpRefused');
      },
    },
    async (round, calls) => {
      const early = await refusal(round.executeUpdate(acceptUpdate, { args: [{ by: DANA }] }));
      expect(early).toEqual({
        type: 'NotAwaitingDecision',
        message: 'commitment change order CO-7 is still being sent; try again in a moment.',
      });
      hold.open();
      await round.executeUpdate(submissionUpdate);
      await round.executeUpdate(acceptUpdate, { args: [{ by: DANA }] });
      // The ERP refuses it: Failed to Export, with the ERP's words, and the approvers told.
      await waitFor(async () => (await round.query(roundStateQuery)).status === 'FailedToExport');
      const failed = await round.query(roundStateQuery);
      expect(failed.exportError).toBe('Job RC-24 is closed to new commitments.');
      expect(calls.exports).toBe(1);
      expect(calls.notices.at(-1)).toMatchObject({ kind: 'export-failed', message: 'Job RC-24 is closed to new commitments.' });
      const again = await refusal(round.executeUpdate(acceptUpdate, { args: [{ by: SAM }] }));
      expect(again.type).toBe('NotAwaitingDecision');
      expect(again.message).toMatch(
        /^commitment change order CO-7 is Failed to Export, so it cannot be accepted\. It was accepted by Dana Lee at .+\. What can be done now: reject, retry-export\.$/,
      );
      // The creator cannot take it back once accepted; the approver rejects it back instead.
      const retrieve = await refusal(round.executeUpdate(retrieveUpdate, { args: [{ by: PAT }] }));
      expect(retrieve.message).toContain('is Failed to Export, so it cannot be retrieved.');
      expect((await round.query(roundStateQuery)).status).toBe('FailedToExport');
      await round.executeUpdate(rejectUpdate, { args: [{ by: DANA, reason: 'Period closed; send it next month' }] });
      expect((await round.result()).status).toBe('Rejected');
    },
  );
});

test('an ERP that cannot be reached is given up after the policy’s attempts; a retry exports it', async () => {
  let reachable = false;
  await withRound(
    {
      exportItem: async () => {
        if (!reachable) throw ApplicationFailure.retryable('connect ECONNREFUSED 10.0.0.9:443', 'ErpUnavailable');
        return { erpId: 'SBX-9', snapshotHash: 'abc123' };
      },
    },
    async (round, calls) => {
      await round.executeUpdate(submissionUpdate);
      await round.executeUpdate(acceptUpdate, { args: [{ by: DANA }] });
      await waitFor(async () => (await round.query(roundStateQuery)).status === 'FailedToExport');
      expect(calls.exports).toBe(3);
      expect((await round.query(roundStateQuery)).exportError).toBe(
        'The ERP could not be reached after 3 attempts: connect ECONNREFUSED 10.0.0.9:443',
      );
      reachable = true;
      const retried = await round.executeUpdate(retryExportUpdate, { args: [{ by: SAM }] });
      expect(retried.status).toBe('Exporting');
      const outcome = await round.result();
      expect(outcome).toMatchObject({ status: 'Synced', erpId: 'SBX-9' });
      expect(calls.transitions.map((t) => t.transition)).toEqual(['accept', 'export-failed', 'retry-export', 'exported']);
      expect((await round.query(roundStateQuery)).exportRuns).toBe(2);
    },
  );
});

test('a send the ERP rules refuse answers the submission with that refusal and ends the round', async () => {
  await withRound(
    {
      openRound: async () => {
        throw ApplicationFailure.create({
          type: 'RequirementsNotMet',
          message: 'Commitment change order CO-7 does not meet the Sage 300 CRE minimum requirements: Line 2 has no cost code.',
          nonRetryable: true,
          details: [{ violations: [{ field: 'lines.2', reason: 'Line 2 has no cost code.' }] }],
        });
      },
    },
    async (round, calls) => {
      const refused = await refusal(round.executeUpdate(submissionUpdate));
      expect(refused.type).toBe('RequirementsNotMet');
      expect(refused.message).toContain('Line 2 has no cost code.');
      const outcome = await round.result();
      expect(outcome.status).toBe('NotSent');
      expect(outcome.refusal).toMatchObject({ type: 'RequirementsNotMet', details: { violations: [{ field: 'lines.2' }] } });
      expect(calls.notices).toEqual([]);
      expect(calls.transitions).toEqual([]);
    },
  );
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('The round did not get there within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a routed round: each step in turn, out-of-turn decisions refused before anything is recorded, the export after the last approval', async () => {
  const COLE = { id: 'u-cole', name: 'Cole Grant' };
  const route = {
    policy: { id: 'large', name: 'Large change orders' },
    steps: [
      { name: 'Accounting', approvers: [DANA], quorum: 'any' as const },
      { name: 'Controllers', approvers: [SAM, COLE], quorum: 'all' as const },
    ],
  };
  await withRound({ openRound: async () => ({ previousRejection: null, snapshotHash: 'abc123', route }) }, async (round, calls) => {
    const opened = await round.executeUpdate(submissionUpdate);
    expect(opened).toMatchObject({ status: 'ReadyToExport', route, step: 0, approvals: [] });

    const early = await refusal(round.executeUpdate(acceptUpdate, { args: [{ by: SAM }] }));
    expect(early).toEqual({
      type: 'NotYourTurn',
      message:
        'commitment change order CO-7 is at step 1 of 2 (Accounting), waiting for Dana Lee: Sam Ortiz decides at step 2 (Controllers), so cannot accept it yet.',
    });
    expect((await refusal(round.executeUpdate(rejectUpdate, { args: [{ by: PAT, reason: 'No' }] }))).type).toBe('NotOnRoute');
    expect(calls.transitions).toEqual([]);

    const first = await round.executeUpdate(acceptUpdate, { args: [{ by: DANA }] });
    expect(first).toMatchObject({ status: 'ReadyToExport', step: 1 });
    const second = await round.executeUpdate(acceptUpdate, { args: [{ by: COLE }] });
    expect(second).toMatchObject({ status: 'ReadyToExport', step: 1 });
    expect((await refusal(round.executeUpdate(acceptUpdate, { args: [{ by: COLE }] }))).message).toContain(
      'Cole Grant has already approved this step',
    );
    expect(calls.exports).toBe(0);
    const last = await round.executeUpdate(acceptUpdate, { args: [{ by: SAM }] });
    expect(last).toMatchObject({ status: 'Exporting', step: null });
    expect((await round.result()).status).toBe('Synced');

    expect(calls.transitions.map((t) => [t.transition, t.by ?? null, t.step ?? null])).toEqual([
      ['approve', DANA.id, 0],
      ['approve', COLE.id, 1],
      ['accept', SAM.id, 1],
      ['exported', null, null],
    ]);
    expect(calls.exports).toBe(1);
    expect(calls.notices.map((n) => n.kind)).toEqual(['review-requested', 'step-approved', 'step-approved', 'accepted', 'synced']);
    expect(calls.notices[0]).toMatchObject({ kind: 'review-requested', route });
  });
});

test('a round whose send recorded no route (opened before routing) is decided by any approver, in one step', async () => {
  await withRound({ openRound: async () => ({ previousRejection: null, snapshotHash: 'abc123' }) }, async (round, calls) => {
    const opened = await round.executeUpdate(submissionUpdate);
    expect(opened.route).toBeUndefined();
    expect((await round.executeUpdate(acceptUpdate, { args: [{ by: SAM }] })).status).toBe('Exporting');
    expect((await round.result()).status).toBe('Synced');
    expect(calls.transitions.map((t) => [t.transition, t.step ?? null])).toEqual([
      ['accept', null],
      ['exported', null],
    ]);
  });
});
