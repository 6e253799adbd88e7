/**
 * Which verified Slack requests have been received, so that one captured and sent again is refused.
 * Each is kept by its signature until its timestamp leaves Slack's window.
 */
import { isDatabaseUnavailable, type Db } from '../store/prisma';
import { forgetExpiredRequests, rememberRequest, rememberedRequests } from '../store/slack-requests';

export interface ReceivedRequests {
  /** Records the request; false when it was received before (a replay). */
  firstTime(signature: string, keepUntilSeconds: number): Promise<boolean>;
  /** How many are remembered now. */
  size(): Promise<number>;
}

/** One process's memory, bounded: the oldest (they arrive roughly in timestamp order) go first. */
export class ReceivedInMemory implements ReceivedRequests {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxRemembered = 100_000) {}

  async firstTime(signature: string, keepUntilSeconds: number): Promise<boolean> {
    const now = Math.floor(Date.now() / 1000);
    for (const [key, until] of this.seen) {
      if (until >= now && this.seen.size < this.maxRemembered) break;
      this.seen.delete(key);
    }
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, keepUntilSeconds);
    return true;
  }

  async size(): Promise<number> {
    return this.seen.size;
  }
}

/**
 * Shared by every bot process through the database: a replay sent to another process, or after a
 * restart, is refused too. One insert per request (its primary key decides), expired rows deleted at
 * most once a minute. While the database is unavailable the process's memory stands in, so Slack's
 * requests are still answered (whatever they ask for then waits for the database like everything else).
 */
export class ReceivedInDatabase implements ReceivedRequests {
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly fallback: ReceivedRequests = new ReceivedInMemory(),
  ) {}

  async firstTime(signature: string, keepUntilSeconds: number): Promise<boolean> {
    try {
      const first = await rememberRequest(this.db, signature, new Date(keepUntilSeconds * 1000));
      this.prune();
      return first;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      return this.fallback.firstTime(signature, keepUntilSeconds);
    }
  }

  async size(): Promise<number> {
    return rememberedRequests(this.db);
  }

  private prune(): void {
    if (Date.now() - this.prunedAt < 60_000) return;
    this.prunedAt = Date.now();
    forgetExpiredRequests(this.db).catch(() => undefined);
  }
}
