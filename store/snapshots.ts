/**
 * Reviewed snapshots: what the approvers of a round saw, frozen when the round opened, and the export
 * payload the ERP receives byte for byte. The hash is SHA-256 over the payload's canonical JSON.
 */
import { createHash } from 'node:crypto';
import type { Prisma, ReviewedSnapshot } from '../generated/prisma';
import type { ExportPayload } from '../domain/erp-profiles';
import { canonicalJson, reviewChanges, type ReviewChange, type ReviewFacts } from '../domain/review';
import type { Route } from '../domain/routing';
import type { Db, Tx } from './prisma';

type Reader = Db | Tx;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface FreezeInput {
  erpRecordId: number;
  round: number;
  payload: ExportPayload;
  review: ReviewFacts;
  /** The approvers' route the round follows. */
  route: Route;
  sentById: string;
}

/**
 * Stores the round's snapshot once (a retried activity finds it there) and, for a later round, what
 * changed since the previous round's snapshot.
 */
export async function freezeSnapshot(tx: Tx, input: FreezeInput): Promise<ReviewedSnapshot> {
  // The latest snapshot up to this round: this round's own (stored already), or the previous round's.
  const latest = await tx.reviewedSnapshot.findFirst({
    where: { erpRecordId: input.erpRecordId, round: { lte: input.round } },
    orderBy: { round: 'desc' },
  });
  if (latest?.round === input.round) return latest;
  const payload = canonicalJson(input.payload);
  const changes = latest ? reviewChanges(latest.review as unknown as ReviewFacts, input.review) : null;
  return tx.reviewedSnapshot.create({
    data: {
      erpRecordId: input.erpRecordId,
      round: input.round,
      hash: sha256Hex(payload),
      payload,
      review: input.review as unknown as Prisma.InputJsonObject,
      ...(changes ? { changes: changes as unknown as Prisma.InputJsonArray } : {}),
      route: input.route as unknown as Prisma.InputJsonObject,
      sentById: input.sentById,
    },
  });
}

export function roundSnapshot(db: Reader, erpRecordId: number, round: number) {
  return db.reviewedSnapshot.findUnique({ where: { erpRecordId_round: { erpRecordId, round } } });
}

/** The snapshot as the API and Slack show it. */
export interface ReviewedView {
  hash: string;
  payload: ExportPayload;
  at: string;
  by: { id: string; name: string };
  round: number;
  review: ReviewFacts;
  /** A re-send: what changed since the previous round's snapshot; null for a first send. */
  changes: ReviewChange[] | null;
  /** The approvers' route; null for rounds opened before routing (one step, any accounting approver). */
  route: Route | null;
}
