/** The shapes that cross between the workflow and its activities, and pure readings of them: safe in the workflow bundle. */
import type { ItemType } from '../domain/item-types';
import type { Person } from '../domain/items';
import { routeProgress, type Route, type RouteStep, type StepApproval } from '../domain/routing';

/** What a round needs to know of its item to describe itself; the full item is read by activities. */
export interface RoundItem {
  type: ItemType;
  ref: string;
  projectRef: string;
  title: string;
  totalCents: number | null;
  creator: Person;
}

export interface ActivityFailureInfo {
  type: string;
  message: string;
  details: unknown;
}

interface NoticeBase {
  item: RoundItem;
  round: number;
  /** Delivery is idempotent on this key. */
  eventKey: string;
}

/** Something people must be told. The Slack bot delivers these; the default notifier records them. */
export type Notice = NoticeBase &
  (
    | { kind: 'review-requested'; by: Person; resend: boolean; previousRejection: string | null; route?: Route }
    | { kind: 'accepted'; by: Person; description: string | null; onBehalfOf?: Person }
    /** An approval that leaves the route more to go: the same step (another approver) or the next. */
    | { kind: 'step-approved'; by: Person; description: string | null; route: Route; approvals: StepApproval[]; onBehalfOf?: Person }
    | { kind: 'export-retried'; by: Person }
    | { kind: 'rejected'; by: Person; reason: string; onBehalfOf?: Person }
    | { kind: 'retrieved'; by: Person }
    | { kind: 'synced'; erpId: string }
    | { kind: 'export-failed'; message: string }
    /** A step still waiting after its reminder time: its approvers who have not approved are reminded. */
    | { kind: 'reminder'; step: number; route: Route; waitingFor: Person[]; waitingSince: string; count: number }
    /** A step that waited past its escalation time: `added` may now decide it. */
    | { kind: 'escalated'; step: number; route: Route; added: Person[]; after: string }
  );

/** A time counted in the company calendar's working hours, and how people there read it ("Tue 09:00"). */
export interface WorkingDeadline {
  at: string;
  words: string;
}

export type NoticeKind = Notice['kind'];

/** Who a notice is for: the item's creator (a direct message) or the accounting approvers (their channel). */
export function audienceOf(notice: Notice): 'creator' | 'approvers' {
  return notice.kind === 'rejected' || notice.kind === 'synced' || notice.kind === 'retrieved' ? 'creator' : 'approvers';
}

export interface SummaryEntry {
  type: ItemType;
  ref: string;
  projectRef: string;
  title: string | null;
  detail: string | null;
  /** The amount the approvers reviewed and its snapshot's hash. */
  amount?: string | null;
  snapshotHash?: string | null;
}

/** One approver's daily summary: what waits for accounting. Sent only when something does. */
export interface DailySummary {
  approver: Person;
  /** The day it covers, YYYY-MM-DD in the company's time zone. */
  date: string;
  readyToExport: { total: number; items: SummaryEntry[] };
  failedToExport: { total: number; items: SummaryEntry[] };
  eventKey: string;
}

/** Tells people what happened to an item. The Slack bot provides one; delivery must be idempotent on `eventKey`. */
export interface Notifier {
  deliver(notice: Notice): Promise<void>;
  dailySummary(summary: DailySummary): Promise<void>;
}

/**
 * The step whose turn a notice opens, with the approvers to ask: a round's first step when its route
 * names approvers, or the next step once an approval ended the one before. Null otherwise (the default
 * route's approvers read the channel).
 */
export function turnOpened(notice: Notice): { step: number; approvers: Person[] } | null {
  const named = (index: number | null, step: RouteStep | undefined) =>
    index !== null && step && step.approvers.length > 0 ? { step: index, approvers: step.approvers } : null;
  if (notice.kind === 'review-requested' && notice.route?.policy) return named(0, notice.route.steps[0]);
  // The people a waiting step escalated to: their turn has come too.
  if (notice.kind === 'escalated') return notice.added.length > 0 ? { step: notice.step, approvers: notice.added } : null;
  if (notice.kind !== 'step-approved') return null;
  const before = routeProgress(notice.route, notice.approvals.slice(0, -1)).current;
  const after = routeProgress(notice.route, notice.approvals).current;
  return after === before ? null : named(after, after === null ? undefined : notice.route.steps[after]);
}
