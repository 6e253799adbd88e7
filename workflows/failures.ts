/**
 * Domain refusals cross Temporal as ApplicationFailures (type = the error's class name, details = its
 * facts) and come back as the same typed errors. Both directions live here, and nowhere else: the
 * round, its activities and the client-side desk all use these. Safe in the workflow bundle.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityFailureInfo } from '../activities/types';
import {
  AlreadyInReview,
  AlreadyTaken,
  type DomainError,
  ExportUnresolved,
  InvalidItem,
  InvalidPeriod,
  InvalidRequest,
  ItemLocked,
  NotAnApprover,
  NotAwaitingDecision,
  NotOnRoute,
  NotSupported,
  NotYourTurn,
  ParentNotSynced,
  PermissionDenied,
  RequirementsNotMet,
  RoundNotRunning,
  SeparationOfDuties,
  UnknownItem,
  UnknownReference,
  UnknownUser,
  type Decision,
  type Turn,
  type Violation,
} from '../domain/errors';
import type { ErpStatus } from '../domain/statuses';

export function toApplicationFailure(err: DomainError): ApplicationFailure {
  return ApplicationFailure.create({ type: err.constructor.name, message: err.message, nonRetryable: true, details: [err.details()] });
}

type Facts = Record<string, unknown>;

const rebuild: Record<string, (message: string, facts: Facts) => DomainError> = {
  NotAwaitingDecision: (m, f) => new NotAwaitingDecision(m, f.status as ErpStatus, f.decision as Decision | undefined),
  RequirementsNotMet: (m, f) => new RequirementsNotMet(m, (f.violations as Violation[]) ?? []),
  ParentNotSynced: (m, f) => new ParentNotSynced(m, f.parent as ParentNotSynced['parent']),
  PermissionDenied: (m, f) => new PermissionDenied(m, (f.missing as string[]) ?? []),
  ItemLocked: (m, f) => new ItemLocked(m, (f.fields as string[]) ?? [], f.status as ErpStatus),
  UnknownItem: (m, f) => new UnknownItem(m, (f.suggestions as string[]) ?? []),
  AlreadyInReview: (m) => new AlreadyInReview(m),
  SeparationOfDuties: (m) => new SeparationOfDuties(m),
  UnknownUser: (m) => new UnknownUser(m),
  RoundNotRunning: (m) => new RoundNotRunning(m),
  NotSupported: (m) => new NotSupported(m),
  InvalidRequest: (m) => new InvalidRequest(m),
  ExportUnresolved: (m) => new ExportUnresolved(m),
  UnknownReference: (m, f) => new UnknownReference(m, String(f.field)),
  AlreadyTaken: (m, f) => new AlreadyTaken(m, String(f.field)),
  InvalidItem: (m, f) => new InvalidItem(m, String(f.field)),
  InvalidPeriod: (m, f) => new InvalidPeriod(m, String(f.field)),
  NotYourTurn: (m, f) => new NotYourTurn(m, f.turn as Turn),
  NotAnApprover: (m, f) => new NotAnApprover(m, String(f.field)),
  NotOnRoute: (m, f) => new NotOnRoute(m, f.turn as Turn),
};

/** The domain errors that come back typed from Temporal: every one (a test holds this to domain/errors). */
export const REBUILT_ERRORS: readonly string[] = Object.keys(rebuild);

/** The innermost application failure under an activity's: the words the activity chose for people. */
export function failureInfo(err: unknown): ActivityFailureInfo {
  let cause: unknown = err;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure)
    return { type: cause.type ?? 'Error', message: cause.message, details: cause.details?.[0] ?? null };
  return { type: 'Error', message: cause instanceof Error ? cause.message : String(cause), details: null };
}

/** The failure again, as a round answers a send it refused. */
export function failureFrom(info: ActivityFailureInfo): ApplicationFailure {
  return ApplicationFailure.create({ type: info.type, message: info.message, nonRetryable: true, details: [info.details] });
}

/** The domain error inside a failed Update or workflow, if it carries one. */
export function domainErrorFrom(err: unknown): DomainError | undefined {
  let cause: unknown = err;
  while (cause) {
    if (cause instanceof ApplicationFailure && cause.type && rebuild[cause.type]) {
      const facts = (cause.details?.[0] ?? {}) as Facts;
      return rebuild[cause.type]!(cause.message, facts);
    }
    // A failed Update, an activity or a child: the refusal is somewhere down the chain of causes.
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}
