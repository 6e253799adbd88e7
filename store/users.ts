/** Directory users as the permission rules see them. */
import type { ToolPermission, User } from '@prisma/client';
import type { Actor, Grant } from '../domain/permissions';

export function actorOf(user: User & { permissions: ToolPermission[] }): Actor {
  return {
    id: user.id,
    name: user.name,
    canPushToAccounting: user.canPushToAccounting,
    grants: user.permissions.map((p): Grant => ({ scope: p.scope, tool: p.tool, level: p.level })),
  };
}
