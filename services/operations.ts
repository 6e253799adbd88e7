/**
 * Repairs an operator may need. A round that was terminated (or failed) leaves its item locked with
 * accounting and nothing to decide on; releasing it returns the item to its creator as Retrieved,
 * with the operator's reason in the change history, so it can be fixed and sent again.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { InvalidRequest, NotAwaitingDecision } from '../domain/errors';
import { ITEM_TYPE_INFO, approvalWorkflowId, exportIdempotencyKey, type ItemType } from '../domain/item-types';
import { canApply, statusLabel, type ErpStatus } from '../domain/statuses';
import { lockRecord, writeTransaction, type Db } from '../store/prisma';
import { moveRecord, recordedEntry } from '../store/rounds';
import { lastExportCall } from '../store/exports';
import { EXPORT_CALL_MAX_MS } from '../connectors/transport';

export async function roundStatus(client: Client, type: ItemType, ref: string): Promise<string> {
  try {
    const description = await client.workflow.getHandle(approvalWorkflowId(type, ref)).describe();
    return description.status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'NONE';
    throw err;
  }
}

export interface ReleaseOptions {
  reason: string;
  /** Release an item that was Exporting: the operator has checked that the ERP does not hold it. */
  force?: boolean;
  /** How long after an export call started it may still land (EXPORT_CALL_MAX_MS). */
  exportCallMaxMs?: number;
}

export async function releaseItem(db: Db, client: Client, type: ItemType, ref: string, options: ReleaseOptions) {
  const label = `${ITEM_TYPE_INFO[type].label} ${ref}`;
  const round = await roundStatus(client, type, ref);
  if (round === 'RUNNING')
    throw new InvalidRequest(`${label} has a running round: decide it (accept, reject, retrieve) instead of releasing it.`);
  return writeTransaction(db, async (tx, { rerun }) => {
    const erp = await lockRecord(tx, type, ref); // a decision or send racing the release waits, then sees Retrieved
    const eventKey = `release:${approvalWorkflowId(type, ref)}#${erp.round}`;
    // Run again after a COMMIT whose answer was lost: the release this call wrote is its answer.
    const earlier = rerun ? await recordedEntry(tx, eventKey) : null;
    if (earlier) return { from: earlier.fromStatus as ErpStatus, to: 'Retrieved' as const, round: erp.round };
    const from = erp.status;
    if (!canApply(from, 'release')) throw new NotAwaitingDecision(`${label} is ${statusLabel(from)}: there is nothing to release.`, from);
    const key = exportIdempotencyKey(type, ref, erp.round);
    if (from === 'Exporting' && !options.force) {
      throw new InvalidRequest(
        `${label} was Exporting when its round stopped: the ERP may already have it (idempotency key ${key}). ` +
          'Check the ERP first; if it is not there, release with --force.',
      );
    }
    if (from === 'Exporting') {
      // A terminated round does not stop a call already made: what the operator checked may change until it ends.
      const lastCall = await lastExportCall(tx, key);
      const settledAt = lastCall && new Date(lastCall.getTime() + (options.exportCallMaxMs ?? EXPORT_CALL_MAX_MS));
      if (settledAt && settledAt.getTime() > Date.now()) {
        throw new InvalidRequest(
          `${label}'s export under key ${key} was called at ${lastCall.toISOString()} and may still reach the ERP: nothing was released. ` +
            `Check the ERP after ${settledAt.toISOString()}, then release with --force.`,
        );
      }
    }
    await moveRecord(tx, erp, 'Retrieved', {
      action: 'release',
      reason: options.reason,
      message: `round ${erp.round} was ${round.toLowerCase()}`,
      eventKey,
    });
    return { from, to: 'Retrieved' as const, round: erp.round };
  });
}
