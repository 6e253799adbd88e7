/** Directory users as the permission rules see them. */
import type { ToolPermission, User } from '../generated/prisma';
import type { Actor, Grant } from '../domain/permissions';
import type { Db, Tx } from './prisma';

export function actorOf(user: User & { permissions: ToolPermission[] }): Actor {
  return {
    id: user.id,
    name: user.name,
    canPushToAccounting: user.canPushToAccounting,
    grants: user.permissions.map((p): Grant => ({ scope: p.scope, tool: p.tool, level: p.level })),
  };
}

/** A directory user as the permission rules see them, or null. */
export async function findActor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, include: { permissions: true } });
  return user && actorOf(user);
}

/** Everyone who may push to accounting, by name, as actors (the permission rules pick the approvers among them). */
export async function accountingCandidates(db: Db): Promise<Actor[]> {
  const users = await db.user.findMany({ where: { canPushToAccounting: true }, include: { permissions: true }, orderBy: { name: 'asc' } });
  return users.map(actorOf);
}

/** The directory users among `ids`, as actors by id (an id not in the directory is left out). */
export async function actorsById(db: Db | Tx, ids: readonly string[]): Promise<Map<string, Actor>> {
  const users = await db.user.findMany({ where: { id: { in: [...ids] } }, include: { permissions: true } });
  return new Map(users.map((user) => [user.id, actorOf(user)]));
}

export function userById(db: Db, id: string) {
  return db.user.findUnique({ where: { id } });
}

export function userByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email } });
}

export function userBySlackId(db: Db, slackId: string) {
  return db.user.findUnique({ where: { slackId }, select: { id: true } });
}

/** Remembers a user's Slack account; best effort (a second account claiming it, say, is left as it is). */
export async function linkSlackAccount(db: Db, userId: string, slackId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { slackId } }).catch(() => undefined);
}
