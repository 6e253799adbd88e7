/** The signatures of Slack requests received lately, each kept until its timestamp leaves Slack's window. */
import type { Db } from './prisma';

/** Keeps the signature; false when it was kept already (the request is a replay). One insert: the primary key decides. */
export async function rememberRequest(db: Db, signature: string, expiresAt: Date): Promise<boolean> {
  const inserted =
    await db.$executeRaw`INSERT INTO "SlackRequest" ("signature", "expiresAt") VALUES (${signature}, ${expiresAt}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

export function rememberedRequests(db: Db): Promise<number> {
  return db.slackRequest.count({ where: { expiresAt: { gte: new Date() } } });
}

export async function forgetExpiredRequests(db: Db): Promise<void> {
  await db.slackRequest.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}
