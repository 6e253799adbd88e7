/**
 * Who a Slack user is in the directory, matched by email (users.info), and how to reach a directory
 * user in Slack (users.lookupByEmail). Matches are remembered on the user row and in memory.
 */
import type { WebClient } from '@slack/web-api';
import { UnknownUser } from '../domain/errors';
import type { Db } from '../store/prisma';
import { linkSlackAccount, userBySlackId, userByEmail, userById } from '../store/users';

export class SlackDirectory {
  private readonly byslack = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly client: WebClient,
  ) {}

  /** The directory user id of a Slack user, or UnknownUser telling them how to get access. */
  async userIdFor(slackUserId: string): Promise<string> {
    const cached = this.byslack.get(slackUserId);
    if (cached) return cached;
    const known = await userBySlackId(this.db, slackUserId);
    if (known) {
      this.byslack.set(slackUserId, known.id);
      return known.id;
    }
    const info = await this.client.users.info({ user: slackUserId }).catch(() => undefined);
    const email = info?.user?.profile?.email?.toLowerCase();
    const user = email ? await userByEmail(this.db, email) : null;
    if (!user) {
      throw new UnknownUser(
        `I can't find you in the company directory${email ? ` (no user with the email ${email})` : ''}. ` +
          'Ask your Procore administrator to add you with the same email as your Slack account.',
      );
    }
    await linkSlackAccount(this.db, user.id, slackUserId);
    this.byslack.set(slackUserId, user.id);
    return user.id;
  }

  /** The Slack id of a directory user, if they have one. */
  async slackIdFor(userId: string): Promise<string | undefined> {
    const user = await userById(this.db, userId);
    return user ? this.slackIdOf(user) : undefined;
  }

  /** The Slack id of a directory user already read, if they have one: the one linked, else found by their email. */
  async slackIdOf(user: { id: string; email: string; slackId: string | null }): Promise<string | undefined> {
    if (user.slackId) return user.slackId;
    const found = await this.client.users.lookupByEmail({ email: user.email }).catch(() => undefined);
    const slackId = found?.user?.id;
    if (slackId) await linkSlackAccount(this.db, user.id, slackId);
    return slackId;
  }
}
