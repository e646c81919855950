import type { FastifyReply } from 'fastify'
import {
  type DirectoryTarget,
  holdsAction,
  holdsTenantWideAction,
  type RbacPrincipal,
} from '../rbac/privileges.js'
import { servicePrincipalId } from '../state/service-principal-id.js'
import { type GraphPrincipal, holdsAnyPermission, sendInsufficientPrivileges } from './auth.js'

/** What an operation needs, in both of Entra's permission models. */
export interface AccessRule {
  /** Delegated permissions, one of which the token's `scp` must hold (broader ones count). */
  scopes: readonly string[]
  /** Application permissions, one of which an app-only token's `roles` may hold. */
  applicationPermissions: readonly string[]
  /** Role permissions the caller's directory privileges must grant on the target, all of them. */
  actions: readonly string[]
  target: DirectoryTarget
  /**
   * Whether the token's permissions allow the operation, when a combination decides it rather than one of `scopes` or
   * `applicationPermissions` (`User.EnableDisableAccount.All` + `User.Read.All`). Replaces both lists when set.
   */
  permitted?: boolean
}

/** Directory read permissions that let a service principal use administrative-unit-scoped roles, by target kind. */
const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']
const READ_GROUPS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]

/**
 * Decides an operation as Entra does and answers Graph's 403 `Authorization_RequestDenied` ("Insufficient
 * privileges to complete the operation.") when it is refused.
 *
 * - Delegated: the token's scope must allow the operation AND the signed-in user must hold every action through a
 *   role assignment whose scope covers the target (or own the target group).
 * - App-only: an application permission in `roles` allows it tenant-wide; otherwise the app's service principal
 *   must hold the actions through its role assignments or own the target group.
 *
 * @example
 * if (!requireAccess(principal, reply, { scopes: WRITE_MEMBERS, applicationPermissions: WRITE_MEMBERS,
 *   actions: ['microsoft.directory/groups/members/update'], target: { kind: 'group', group } })) return reply
 */
export function requireAccess(principal: GraphPrincipal, reply: FastifyReply, rule: AccessRule): boolean {
  const allowed = hasAccess(principal, rule, (changedAtMs) =>
    reply.request.server.emulator.faults.dynamicMembershipProcessed(changedAtMs),
  )
  if (!allowed) sendInsufficientPrivileges(reply)
  return allowed
}

/**
 * The part of the decision Graph makes before looking anything up: a delegated token must carry one of the scopes.
 * App-only calls pass here; they are decided with the target (`requireAccess`).
 */
export function requireDelegatedScope(
  principal: GraphPrincipal,
  reply: FastifyReply,
  scopes: readonly string[],
): boolean {
  if (!principal.user || holdsAnyPermission(principal.permissions, scopes)) return true
  sendInsufficientPrivileges(reply)
  return false
}

/** `requireAccess` without the answer: whether the caller may perform the operation. */
export function hasAccess(
  principal: GraphPrincipal,
  rule: AccessRule,
  processed: (changedAtMs: number) => boolean,
): boolean {
  const { tenant, user } = principal
  if (user) {
    if (!(rule.permitted ?? holdsAnyPermission(principal.permissions, rule.scopes))) return false
    const rbacPrincipal: RbacPrincipal = { objectId: user.id, user }
    // Guests get no directory read by default, so (like service principals) they cannot use unit-scoped roles alone.
    const administrativeUnitScopes =
      user.userType === 'Member' || readsDirectoryThroughRoles(principal, rbacPrincipal, rule.target)
    return rule.actions.every((action) =>
      holdsAction(tenant, rbacPrincipal, action, rule.target, { processed, administrativeUnitScopes }),
    )
  }
  if (rule.permitted ?? holdsAnyPermission(principal.permissions, rule.applicationPermissions)) return true
  const servicePrincipal: RbacPrincipal = {
    objectId: servicePrincipalId(tenant.id, principal.appId),
    user: null,
  }
  const administrativeUnitScopes =
    holdsAnyPermission(principal.permissions, rule.target.kind === 'group' ? READ_GROUPS : READ_USERS) ||
    readsDirectoryThroughRoles(principal, servicePrincipal, rule.target)
  return (
    rule.actions.length > 0 &&
    rule.actions.every((action) =>
      holdsAction(tenant, servicePrincipal, action, rule.target, { processed, administrativeUnitScopes }),
    )
  )
}

function readsDirectoryThroughRoles(
  principal: GraphPrincipal,
  rbacPrincipal: RbacPrincipal,
  target: DirectoryTarget,
): boolean {
  const action =
    target.kind === 'group'
      ? 'microsoft.directory/groups/standard/read'
      : 'microsoft.directory/users/standard/read'
  return holdsTenantWideAction(principal.tenant, rbacPrincipal, action)
}
