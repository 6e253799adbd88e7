import type { ApprovalDesk } from '../services/approval-desk';
import type { Db } from '../store/prisma';
import type { SlackDirectory } from './directory';

/** What the listeners work with: the same desk the API uses, and the Slack directory. */
export interface BotDeps {
  db: Db;
  desk: ApprovalDesk;
  directory: SlackDirectory;
}
