/**
 * Typed refusals of the domain. The HTTP API maps them to status codes in `api/errors.ts`; the
 * Slack bot to ephemeral replies. Each carries the words a person reads.
 */
import type { ErpStatus } from './statuses';

export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Extra, machine-readable facts for API clients. */
  details(): Record<string, unknown> {
    return {};
  }
}

export class PermissionDenied extends DomainError {
  readonly code = 'permission_denied';
  constructor(
    message: string,
    readonly missing: string[],
  ) {
    super(message);
  }
  override details() {
    return { missing: this.missing };
  }
}

/** Whoever sent a round cannot decide it (unless ALLOW_SELF_APPROVAL is set). */
export class SeparationOfDuties extends DomainError {
  readonly code = 'separation_of_duties';
}

export class ItemLocked extends DomainError {
  readonly code = 'item_locked';
  constructor(
    message: string,
    readonly fields: string[],
    readonly status: ErpStatus,
  ) {
    super(message);
  }
  override details() {
    return { fields: this.fields, status: this.status };
  }
}

export interface Decision {
  action: string;
  by: string;
  at: string;
}

/** The item is not in a state where the action applies (or someone else decided first). */
export class NotAwaitingDecision extends DomainError {
  readonly code = 'not_awaiting_decision';
  constructor(
    message: string,
    readonly status: ErpStatus,
    readonly decision?: Decision,
  ) {
    super(message);
  }
  override details() {
    return { status: this.status, ...(this.decision ? { decision: this.decision } : {}) };
  }
}

export interface Violation {
  field: string;
  reason: string;
}

export class RequirementsNotMet extends DomainError {
  readonly code = 'requirements_not_met';
  constructor(
    message: string,
    readonly violations: Violation[],
  ) {
    super(message);
  }
  override details() {
    return { violations: this.violations };
  }
}

export class ParentNotSynced extends DomainError {
  readonly code = 'parent_not_synced';
  constructor(
    message: string,
    readonly parent: { type: string; ref: string; status: ErpStatus },
  ) {
    super(message);
  }
  override details() {
    return { parent: this.parent };
  }
}

export class AlreadyInReview extends DomainError {
  readonly code = 'already_in_review';
}

export class UnknownItem extends DomainError {
  readonly code = 'unknown_item';
  constructor(
    message: string,
    readonly suggestions: string[] = [],
  ) {
    super(message);
  }
  override details() {
    return { suggestions: this.suggestions };
  }
}

export class UnknownUser extends DomainError {
  readonly code = 'unknown_user';
}

/** A refusal about one field of a request, named for API clients. */
abstract class FieldProblem extends DomainError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
  override details() {
    return { field: this.field };
  }
}

/** A reference (project, vendor, commitment …) named in an upsert does not exist. */
export class UnknownReference extends FieldProblem {
  readonly code = 'unknown_reference';
}

/** A value that must be unique (a user's email or Slack id) already belongs to someone else. */
export class AlreadyTaken extends FieldProblem {
  readonly code = 'already_taken';
}

/** A well-formed item whose data contradicts itself (two lines with one number). */
export class InvalidItem extends FieldProblem {
  readonly code = 'invalid_item';
}

/** A period that cannot be read: it ends before it starts, or lies outside the dates a clock of ours can have written. */
export class InvalidPeriod extends FieldProblem {
  readonly code = 'invalid_period';
}

/** A user named to approve (in an approval policy) who does not hold the accounting approver's permissions. */
export class NotAnApprover extends FieldProblem {
  readonly code = 'not_an_approver';
}

export class NotSupported extends DomainError {
  readonly code = 'not_supported';
}

export class InvalidRequest extends DomainError {
  readonly code = 'invalid_request';
}

/** An export of the item got no answer, so the ERP may hold it: nothing final is done until the ERP is asked. */
export class ExportUnresolved extends DomainError {
  readonly code = 'export_unresolved';
}

/** The record says the item is with accounting, but its round is no longer running (terminated by an operator, say). */
export class RoundNotRunning extends DomainError {
  readonly code = 'round_not_running';
}

/** Where a routed round waits: the step's name and number, and whose decision it waits for. */
export interface Turn {
  step: string;
  /** 1-based, as people count. */
  stepNumber: number;
  steps: number;
  waitingFor: { id: string; name: string }[];
}

/** A decision refused because of where the round stands on its route: it says whose turn it is. */
abstract class TurnRefusal extends DomainError {
  constructor(
    message: string,
    readonly turn: Turn,
  ) {
    super(message);
  }
  override details() {
    return { turn: this.turn };
  }
}

/** A decision by an approver of another step of the round's route: it is not their turn (yet, or any more). */
export class NotYourTurn extends TurnRefusal {
  readonly code = 'not_your_turn';
}

/** A decision by someone the round's route does not name at all. */
export class NotOnRoute extends TurnRefusal {
  readonly code = 'not_on_route';
}
