import type { RemovalStep } from '@entra-share/contracts'
import type { GraphApi } from '../graph/graph-api.js'
import { graphProblem } from '../graph/graph-errors.js'
import { ProblemError } from '../platform/problem-error.js'
import type { StepIdentity, StepNeeds } from './follow-up-steps.js'
import type { InvitationRecord } from './types.js'

/** A step that removes access. */
export type RemovalStepName = RemovalStep['name']

/**
 * Whose token removes access: always the app's own. An expiry runs with nobody signed in, and a revocation must not
 * depend on the sponsor's own directory roles (a Guest Inviter may not take a guest out of a group either).
 */
export const REMOVAL_IDENTITY: StepIdentity = 'app'

/** One removal step: what it does, how it runs, and what the app identity needs — declared once, here. */
export interface RemovalStepDefinition {
  name: RemovalStepName
  /** What the step does, as "to …" completes it. */
  purpose: string
  /** What a step's target is, for sentences (`undefined`: the step has none). */
  targetNoun?: string
  /** Runs the step for one invitation with the app's Graph token. */
  perform(graph: GraphApi, token: string, record: InvitationRecord, target?: string): Promise<unknown>
  needs: Record<typeof REMOVAL_IDENTITY, StepNeeds>
  /** Steps of the same removal that must have succeeded first. */
  after?: readonly RemovalStepName[]
  /** `true` for Graph's answers that mean there is nothing left to remove: success. */
  alreadyDone: (error: unknown) => boolean
}

/** Graph's 404: the membership, the assignment or the guest is gone already (or the group is): nothing to remove. */
const gone = (error: unknown) => graphProblem(error).code === 'not_found'

const removeFromGroup: RemovalStepDefinition = {
  name: 'removeFromGroup',
  purpose: 'remove guests from the presets’ groups',
  targetNoun: 'group',
  perform: (graph, token, record, groupId) =>
    graph.removeGroupMember(token, groupId ?? '', record.invitedUserId),
  alreadyDone: gone,
  needs: {
    app: {
      graphPermissions: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/groups/members/update',
      howToGrant:
        "make the BFF's service principal an owner of the group (as for adding guests), or grant the application permission GroupMember.ReadWrite.All",
    },
  },
}

const removeAppRole: RemovalStepDefinition = {
  name: 'removeAppRole',
  purpose: 'take back the presets’ app roles',
  targetNoun: 'app role',
  async perform(graph, token, record, appRoleId) {
    const grant = record.appRoles.find((candidate) => candidate.appRoleId === appRoleId)
    if (!grant) return
    // Graph removes an assignment by its id: find the guest's own assignments of the role first.
    for (const assignmentId of await graph.findAppRoleAssignments(token, record.invitedUserId, grant)) {
      await graph.removeAppRoleAssignment(token, record.invitedUserId, assignmentId)
    }
  },
  alreadyDone: gone,
  needs: {
    app: {
      graphPermissions: ['AppRoleAssignment.ReadWrite.All'],
      roleAction: 'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      howToGrant:
        "grant the BFF the application permission AppRoleAssignment.ReadWrite.All, or assign its service principal Cloud Application Administrator (nobody is signed in at an expiry, so the inviter's ownership of the enterprise application cannot be used)",
    },
  },
}

const removeLicense: RemovalStepDefinition = {
  name: 'removeLicense',
  purpose: 'take back the presets’ licences',
  targetNoun: 'licence',
  // A licence the guest no longer holds answers "User does not have a corresponding license.": success.
  perform: (graph, token, record, skuId) => graph.removeLicense(token, record.invitedUserId, skuId ?? ''),
  alreadyDone: gone,
  needs: {
    app: {
      graphPermissions: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/assignLicense',
      howToGrant:
        'assign the BFF\'s service principal License Administrator (or User Administrator) scoped to a dynamic administrative unit of guests (membership rule user.userType -eq "Guest"), as for assigning them, or grant the application permission LicenseAssignment.ReadWrite.All',
    },
  },
}

const blockSignIn: RemovalStepDefinition = {
  name: 'blockSignIn',
  purpose: 'block guests’ sign-in',
  // Not after the others: a guest whose group removal is refused must still be locked out at once.
  perform: (graph, token, record) => graph.setAccountEnabled(token, record.invitedUserId, false),
  alreadyDone: gone,
  needs: {
    app: {
      graphPermissions: ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/disable',
      howToGrant:
        'assign the BFF\'s service principal User Administrator scoped to a dynamic administrative unit of guests (membership rule user.userType -eq "Guest"), or grant the application permissions User.EnableDisableAccount.All and User.Read.All',
    },
  },
}

const deleteUser: RemovalStepDefinition = {
  name: 'deleteUser',
  purpose: 'delete guests',
  perform: (graph, token, record) => graph.deleteUser(token, record.invitedUserId),
  // Restoring a deleted user restores its groups and app roles: take them away first.
  after: ['removeFromGroup', 'removeAppRole', 'removeLicense'],
  alreadyDone: gone,
  needs: {
    app: {
      graphPermissions: ['User.DeleteRestore.All', 'User.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/delete',
      howToGrant:
        'assign the BFF\'s service principal User Administrator scoped to a dynamic administrative unit of guests (membership rule user.userType -eq "Guest"), or grant the application permission User.DeleteRestore.All',
    },
  },
}

/** Every removal step, in the order a removal runs them. */
export const removalSteps: Record<RemovalStepName, RemovalStepDefinition> = {
  removeFromGroup,
  removeAppRole,
  removeLicense,
  blockSignIn,
  deleteUser,
}

/**
 * The catalogued problem for a removal step Graph refused with 403: it names the step and what to grant; the
 * invitation stays `removing` with it until an administrator grants it and a retry succeeds.
 *
 * @example
 * forbiddenRemoval('removeFromGroup', '00000000-0000-4000-8000-0000000b0001').detail
 * // "The BFF's app identity may not remove guests from the presets’ groups (group 0000…0001): …"
 */
export function forbiddenRemoval(
  name: RemovalStepName,
  target: string | undefined,
  cause?: unknown,
): ProblemError {
  const step = removalSteps[name]
  const on = target && step.targetNoun ? ` (${step.targetNoun} ${target})` : ''
  return new ProblemError('removal_forbidden', {
    detail: `The BFF's app identity may not ${step.purpose}${on}: Microsoft Graph answered 403 Authorization_RequestDenied. To fix it, ${step.needs.app.howToGrant}; the removal is retried until it succeeds.`,
    cause,
  })
}
