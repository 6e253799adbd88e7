import { isAccountingApprover } from '../domain/permissions';
import { approverQueue, creatorQueue } from '../services/queues';
import type { BotDeps } from './deps';
import type { Queue } from './views/queue';

/** An approver sees what waits for accounting; everyone sees their own rejected items. */
export async function queueFor(deps: BotDeps, userId: string): Promise<Queue> {
  const actor = await deps.desk.actor(userId);
  const approver = isAccountingApprover(actor);
  const [waiting, mine] = await Promise.all([
    approver ? approverQueue(deps.db) : Promise.resolve({ readyToExport: [], failedToExport: [] }),
    creatorQueue(deps.db, userId),
  ]);
  return { approver, ...waiting, ...mine };
}
