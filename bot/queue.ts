import { isAccountingApprover, isAuditor, type Actor } from '../domain/permissions';
import { approverQueue, companyQueue, creatorQueue } from '../store/queues';
import type { BotDeps } from './deps';
import type { Queue } from './views/queue';

/**
 * An approver sees what waits for them (or for those they stand in for); an auditor, everything waiting
 * for accounting, to read; everyone sees their own rejected items.
 */
export async function queueFor(deps: BotDeps, actor: Actor, shown: number): Promise<Queue> {
  const approver = isAccountingApprover(actor);
  const auditor = isAuditor(actor);
  const none = { total: 0, items: [] };
  const [waiting, mine] = await Promise.all([
    approver
      ? approverQueue(deps.db, actor.id, shown, { allowSelfApproval: deps.desk.rules.allowSelfApproval })
      : auditor
        ? companyQueue(deps.db, shown)
        : Promise.resolve({ readyToExport: none, failedToExport: none }),
    creatorQueue(deps.db, actor.id, shown),
  ]);
  return { approver, auditor, ...waiting, ...mine };
}
