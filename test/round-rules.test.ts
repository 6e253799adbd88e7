/**
 * The round's rules on their own (workflows/round-rules.ts): what may be decided when, what each
 * decision records and announces, what an export's answer means, and what the Temporal UI shows.
 * The workflow tests (round.test.ts) drive the same rules through a real Temporal server.
 */
import type { RoundItem } from '../activities/types';
import { InvalidRequest, NotAwaitingDecision } from '../domain/errors';
import { REASON_MAX, REASON_REQUIRED } from '../domain/text';
import {
  currentDetails,
  DECISIONS,
  decisionRefusal,
  eventKey,
  exportFailure,
  failedStep,
  foundUnderMessage,
  inputRefusal,
  roundEnded,
  syncedStep,
  waitingStep,
  type DecisionPoint,
} from '../workflows/round-rules';

const PAT = { id: 'u-pat', name: 'Pat Morgan' };
const DANA = { id: 'u-dana', name: 'Dana Lee' };
const ITEM: RoundItem = { type: 'cco', ref: 'CO-7', projectRef: 'P-1', title: 'Extra rebar', totalCents: 425025, creator: PAT };

const waiting: DecisionPoint = {
  item: ITEM,
  status: 'ReadyToExport',
  opened: true,
  decisions: [{ action: 'send', by: PAT, at: '2026-11-02T09:00:00.000Z' }],
};

describe('which decisions a round takes', () => {
  it('takes each decision its status allows', () => {
    expect(decisionRefusal(waiting, 'accept')).toBeNull();
    expect(decisionRefusal(waiting, 'reject')).toBeNull();
    expect(decisionRefusal(waiting, 'retrieve')).toBeNull();
    expect(decisionRefusal({ ...waiting, status: 'FailedToExport' }, 'retry-export')).toBeNull();
    expect(decisionRefusal({ ...waiting, status: 'FailedToExport' }, 'reject')).toBeNull();
  });

  it('refuses every decision until the send is recorded', () => {
    const refusal = decisionRefusal({ ...waiting, opened: false }, 'accept');
    expect(refusal).toBeInstanceOf(NotAwaitingDecision);
    expect(refusal?.message).toBe('commitment change order CO-7 is still being sent; try again in a moment.');
  });

  it('refuses a second decision while the first is being recorded, naming whose it is', () => {
    const pending = { action: 'reject' as const, by: DANA, at: '2026-11-02T10:00:00.000Z' };
    const refusal = decisionRefusal({ ...waiting, pending }, 'accept');
    expect(refusal?.message).toBe('commitment change order CO-7 is already being rejected by Dana Lee (since 2026-11-02T10:00:00.000Z).');
  });

  it('refuses a decision the status does not allow, saying who settled it', () => {
    const settled: DecisionPoint = {
      ...waiting,
      status: 'Rejected',
      decisions: [...waiting.decisions, { action: 'reject', by: DANA, at: '2026-11-02T10:00:00.000Z' }],
    };
    const refusal = decisionRefusal(settled, 'accept');
    expect(refusal).toBeInstanceOf(NotAwaitingDecision);
    expect(refusal?.message).toContain('is Rejected, so it cannot be accepted. It was rejected by Dana Lee at 2026-11-02T10:00:00.000Z.');
    expect(decisionRefusal(waiting, 'retry-export')?.message).toContain(
      'is Ready to Export, so it cannot be sent for another export attempt.',
    );
  });

  it('ends the round on Synced, Rejected and Retrieved only', () => {
    expect(['Synced', 'Rejected', 'Retrieved'].every((status) => roundEnded(status as never))).toBe(true);
    expect(['NotSent', 'ReadyToExport', 'Exporting', 'FailedToExport', 'Voided'].some((status) => roundEnded(status as never))).toBe(false);
  });
});

describe("a person's decision", () => {
  it('passes when the round may take it and it carries what it needs', () => {
    expect(inputRefusal(waiting, 1, 'accept', { by: DANA })).toBeNull();
    expect(inputRefusal(waiting, 1, 'accept', { by: DANA, round: 1 })).toBeNull();
    expect(inputRefusal(waiting, 1, 'reject', { by: DANA, round: 1, reason: 'Wrong cost code' })).toBeNull();
  });

  it("is refused when the round's status does not allow it, before anything else is looked at", () => {
    const refusal = inputRefusal({ ...waiting, opened: false }, 2, 'reject', { by: DANA, round: 1, reason: '' });
    expect(refusal?.message).toContain('is still being sent');
  });

  it("is refused when made on an earlier round's review", () => {
    const refusal = inputRefusal(waiting, 3, 'accept', { by: DANA, round: 2 });
    expect(refusal).toBeInstanceOf(NotAwaitingDecision);
    expect(refusal?.message).toContain('was sent again after round 2 was opened for review: it is now round 3, a new version.');
  });

  it('is refused as a rejection without a usable reason', () => {
    for (const reason of ['', '   ', '\u200b']) {
      const refusal = inputRefusal(waiting, 1, 'reject', { by: DANA, reason });
      expect(refusal).toBeInstanceOf(InvalidRequest);
      expect(refusal?.message).toBe(REASON_REQUIRED);
    }
    // A rejection that came without the field at all (an older client's Update).
    expect(inputRefusal(waiting, 1, 'reject', { by: DANA })?.message).toBe(REASON_REQUIRED);
    const long = inputRefusal(waiting, 1, 'reject', { by: DANA, reason: 'x'.repeat(REASON_MAX + 1) });
    expect(long?.message).toBe(`Keep the reason to ${REASON_MAX} characters (it has ${REASON_MAX + 1}).`);
    // An accept has no reason to check.
    expect(inputRefusal(waiting, 1, 'accept', { by: DANA, reason: '' })).toBeNull();
  });
});

describe('what each decision records and announces', () => {
  it('records the description of an accept and announces it', () => {
    const input = { by: DANA, description: 'Checked against the subcontract', selfApproved: true };
    expect(DECISIONS.accept.extra(input)).toEqual({ description: 'Checked against the subcontract', selfApproved: true });
    expect(DECISIONS.accept.notice(input)).toEqual({ kind: 'accepted', by: DANA, description: 'Checked against the subcontract' });
    expect(DECISIONS.accept.notice({ by: DANA })).toEqual({ kind: 'accepted', by: DANA, description: null });
    expect(DECISIONS.accept.step(DANA)).toBe('accepted by Dana Lee, exporting');
  });

  it('records the reason of a rejection and announces it', () => {
    const input = { by: DANA, reason: 'Wrong cost code', selfApproved: false };
    expect(DECISIONS.reject.extra(input)).toEqual({ reason: 'Wrong cost code', selfApproved: false });
    expect(DECISIONS.reject.notice(input)).toEqual({ kind: 'rejected', by: DANA, reason: 'Wrong cost code' });
    expect(DECISIONS.reject.step(DANA)).toBe('rejected by Dana Lee');
  });

  it('records who retried an export and who retrieved, and nothing else', () => {
    expect(DECISIONS['retry-export'].extra({ by: DANA, selfApproved: true, description: 'ignored' })).toEqual({ selfApproved: true });
    expect(DECISIONS['retry-export'].notice({ by: DANA })).toEqual({ kind: 'export-retried', by: DANA });
    expect(DECISIONS['retry-export'].step(DANA)).toBe('export retried by Dana Lee');
    expect(DECISIONS.retrieve.extra({ by: PAT, description: 'ignored', selfApproved: true })).toEqual({});
    expect(DECISIONS.retrieve.notice({ by: PAT })).toEqual({ kind: 'retrieved', by: PAT });
    expect(DECISIONS.retrieve.step(PAT)).toBe('retrieved by Pat Morgan');
  });
});

describe("what an export's answer means", () => {
  it('says nothing more for a fresh export, and names the earlier booking when the ERP already held it', () => {
    expect(foundUnderMessage('SBX-9', undefined)).toBeUndefined();
    expect(foundUnderMessage('SBX-9', null)).toBeUndefined();
    expect(foundUnderMessage('SBX-9', { idempotencyKey: 'erp:cco:CO-7#1', round: 1, snapshotHash: 'ab12' })).toBe(
      'ERP id SBX-9: already booked under the earlier key erp:cco:CO-7#1 (round 1, snapshot sha256:ab12); nothing was exported again.',
    );
    expect(foundUnderMessage('SBX-9', { idempotencyKey: 'erp:cco:CO-7#1', round: 1, snapshotHash: null })).toBe(
      'ERP id SBX-9: already booked under the earlier key erp:cco:CO-7#1 (round 1); nothing was exported again.',
    );
    expect(syncedStep('SBX-9', null)).toBe('exported to the ERP as SBX-9');
    expect(syncedStep('SBX-9', { idempotencyKey: 'k', round: 2, snapshotHash: null })).toBe(
      'found in the ERP as SBX-9 (booked in round 2)',
    );
  });

  it("records the ERP's refusal in its own words", () => {
    expect(exportFailure({ type: 'ErpRefused', message: 'Vendor V-1 is on hold', details: null }, 5)).toEqual({
      conflict: false,
      message: 'Vendor V-1 is on hold',
    });
  });

  it('records an unreachable ERP with the number of attempts made', () => {
    expect(exportFailure({ type: 'Error', message: 'connect ECONNREFUSED', details: null }, 5)).toEqual({
      conflict: false,
      message: 'The ERP could not be reached after 5 attempts: connect ECONNREFUSED',
    });
    expect(failedStep('Vendor V-1 is on hold')).toBe('the ERP refused it: Vendor V-1 is on hold; an approver may retry or reject');
  });

  it('records nothing when the record contradicts the round: an operator must look', () => {
    expect(exportFailure({ type: 'StatusConflict', message: 'CO-7 is Synced', details: null }, 5)).toEqual({ conflict: true });
  });
});

describe('what the Temporal UI shows', () => {
  it('names the status, the step, the item, its amount, its creator, the round and the reviewed snapshot', () => {
    expect(currentDetails('ReadyToExport', waitingStep('send', PAT), ITEM, 2, 'ab12')).toBe(
      '**Ready to Export** — waiting for an accounting approver (sent by Pat Morgan)\n\n' +
        'commitment change order CO-7: Extra rebar · $4,250.25 · created by Pat Morgan · round 2 · reviewed snapshot sha256:ab12',
    );
  });

  it('leaves out the amount of an item without one and a snapshot not yet frozen', () => {
    const project: RoundItem = { ...ITEM, type: 'project', ref: 'P-1', title: 'Tower', totalCents: null };
    expect(currentDetails('Rejected', 'rejected by Dana Lee', project, 1)).toBe(
      '**Rejected** — rejected by Dana Lee\n\nproject P-1: Tower · created by Pat Morgan · round 1',
    );
    expect(waitingStep('resend', PAT)).toBe('waiting for an accounting approver (re-sent by Pat Morgan)');
  });
});

describe('event keys', () => {
  it('are unique per move of a round', () => {
    expect(eventKey('erp:cco:CO-7', 2, 3, 'accept')).toBe('erp:cco:CO-7#2:3:accept');
    const keys = new Set([
      eventKey('w', 1, 0, 'send'),
      eventKey('w', 1, 1, 'send'),
      eventKey('w', 2, 0, 'send'),
      eventKey('w', 1, 0, 'accept'),
    ]);
    expect(keys.size).toBe(4);
  });
});
