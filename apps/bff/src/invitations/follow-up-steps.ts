import type { InvitationStep } from '@entra-share/contracts'
import {
  appRoleAssignmentBody,
  assignLicenseBody,
  type GraphApi,
  type GraphBatchRequest,
} from '../graph/graph-api.js'
import { isAlreadyAssignedAppRole, isAlreadyGroupMember } from '../graph/graph-errors.js'
import { ProblemError } from '../platform/problem-error.js'
import type { InvitationRecord } from './types.js'

/** A step that runs after Graph created the invitation. */
export type FollowUpStepName = Exclude<InvitationStep['name'], 'invite'>

/**
 * Whose Graph token runs a step: `app` (the BFF's own, client credentials — the default, as the seeds' LOB
 * pattern does) or `delegated` (On-Behalf-Of the signed-in inviter).
 *
 * In Entra a delegated call succeeds only where the token's scope **and** the signed-in user's own roles or
 * ownership allow it (Graph's docs for group-post-members, user-update, user-assignlicense), so a Guest Inviter
 * who may invite still may not add a guest to a group or set its name. The app identity needs its own grant instead,
 * which can be scoped narrowly: ownership of the presets' groups, a custom role over an administrative unit of
 * guests.
 */
export type StepIdentity = 'app' | 'delegated'

/** What one identity needs to run a step. */
export interface StepNeeds {
  /** Graph permissions of which one is needed (delegated scopes, or application permissions), least privileged first. */
  graphPermissions: readonly string[]
  /** The directory role permission Entra also checks (for the signed-in user, or for the service principal). */
  roleAction: string
  /** How to grant the privilege beside the Graph permission, as a sentence fragment for reports and problems. */
  howToGrant: string
}

/** One follow-up step: what it does, how it runs, and what each identity needs — declared once, here. */
export interface FollowUpStepDefinition {
  name: FollowUpStepName
  /** What the step does, as "to …" completes it. */
  purpose: string
  /** Runs the step for one invitation with a Graph token of the step's identity. */
  perform(graph: GraphApi, token: string, record: InvitationRecord, target?: string): Promise<unknown>
  /** The same request as one item of a `$batch` (the item's `id` is the caller's). */
  batchRequest(graph: GraphApi, record: InvitationRecord, target?: string): Omit<GraphBatchRequest, 'id'>
  needs: Record<StepIdentity, StepNeeds>
  /** Steps of the same invitation that must have succeeded first (a licence needs the usage location set). */
  after?: readonly FollowUpStepName[]
  /** `true` for Graph's refusal that means the step's effect is already there (a member, a role held): success. */
  alreadyDone?: (error: unknown) => boolean
}

const updateAttributes: FollowUpStepDefinition = {
  name: 'updateAttributes',
  purpose: 'set the attributes presets define',
  perform: (graph, token, record) => graph.updateUser(token, record.invitedUserId, record.attributes),
  batchRequest: (_graph, record) => ({
    method: 'PATCH',
    url: `/users/${encodeURIComponent(record.invitedUserId)}`,
    body: record.attributes,
  }),
  needs: {
    app: {
      graphPermissions: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/basic/update',
      howToGrant:
        'assign the BFF\'s service principal a custom role with microsoft.directory/users/basic/update (and users/usageLocation/update) scoped to a dynamic administrative unit of guests (membership rule user.userType -eq "Guest"), or grant the application permission User.ReadWrite.All (every user of the directory)',
    },
    delegated: {
      graphPermissions: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/basic/update',
      howToGrant:
        'the signed-in inviter must hold User Administrator (or a role with microsoft.directory/users/basic/update over the guest, such as one scoped to an administrative unit of guests)',
    },
  },
}

const addToGroup: FollowUpStepDefinition = {
  name: 'addToGroup',
  purpose: 'add guests to the presets’ groups',
  alreadyDone: isAlreadyGroupMember,
  perform: (graph, token, record, groupId) =>
    graph.addGroupMember(token, groupId ?? '', record.invitedUserId),
  batchRequest: (graph, record, groupId) => ({
    method: 'POST',
    url: `/groups/${encodeURIComponent(groupId ?? '')}/members/$ref`,
    body: { '@odata.id': graph.directoryObjectReference(record.invitedUserId) },
  }),
  needs: {
    app: {
      graphPermissions: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/groups/members/update',
      howToGrant:
        "make the BFF's service principal an owner of the group (or assign it a role with microsoft.directory/groups/members/update scoped to the group), or grant the application permission GroupMember.ReadWrite.All (every group of the directory)",
    },
    delegated: {
      graphPermissions: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/groups/members/update',
      howToGrant:
        'the signed-in inviter must own the group or hold Groups Administrator, User Administrator or Directory Writers',
    },
  },
}

/** The licence of `record` a step targets (its SKU id). */
function licenseOf(record: InvitationRecord, skuId: string | undefined) {
  return (
    record.licenses.find((license) => license.skuId === skuId) ?? { skuId: skuId ?? '', disabledPlans: [] }
  )
}

/** The app role grant of `record` a step targets (the role's id). */
function appRoleOf(record: InvitationRecord, appRoleId: string | undefined) {
  return (
    record.appRoles.find((grant) => grant.appRoleId === appRoleId) ?? {
      resourceId: '',
      appRoleId: appRoleId ?? '',
    }
  )
}

const assignLicense: FollowUpStepDefinition = {
  name: 'assignLicense',
  purpose: 'assign the presets’ licences',
  // Graph refuses a licence to a user without a usage location, which updateAttributes sets.
  after: ['updateAttributes'],
  perform: (graph, token, record, skuId) =>
    graph.assignLicense(token, record.invitedUserId, licenseOf(record, skuId)),
  batchRequest: (_graph, record, skuId) => ({
    method: 'POST',
    url: `/users/${encodeURIComponent(record.invitedUserId)}/assignLicense`,
    body: assignLicenseBody(licenseOf(record, skuId)),
  }),
  needs: {
    app: {
      graphPermissions: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/assignLicense',
      howToGrant:
        "assign the BFF's service principal the License Administrator role (or a custom role with microsoft.directory/users/assignLicense scoped to an administrative unit of guests), and grant the application permission LicenseAssignment.ReadWrite.All",
    },
    delegated: {
      graphPermissions: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
      roleAction: 'microsoft.directory/users/assignLicense',
      howToGrant: 'the signed-in inviter must hold License Administrator or User Administrator',
    },
  },
}

const assignAppRole: FollowUpStepDefinition = {
  name: 'assignAppRole',
  purpose: 'grant the presets’ app roles',
  alreadyDone: isAlreadyAssignedAppRole,
  perform: (graph, token, record, appRoleId) =>
    graph.assignAppRole(token, record.invitedUserId, appRoleOf(record, appRoleId)),
  batchRequest: (_graph, record, appRoleId) => ({
    method: 'POST',
    url: `/users/${encodeURIComponent(record.invitedUserId)}/appRoleAssignments`,
    body: appRoleAssignmentBody(record.invitedUserId, appRoleOf(record, appRoleId)),
  }),
  needs: {
    app: {
      graphPermissions: ['AppRoleAssignment.ReadWrite.All'],
      roleAction: 'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      howToGrant:
        "grant the BFF the application permission AppRoleAssignment.ReadWrite.All (it lets the app grant any app role of any enterprise application: consider the delegated identity with the inviter as the enterprise application's owner instead)",
    },
    delegated: {
      graphPermissions: ['AppRoleAssignment.ReadWrite.All'],
      roleAction: 'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      howToGrant:
        'the signed-in inviter must own the enterprise application or hold Cloud Application Administrator or Application Administrator',
    },
  },
}

/** Every follow-up step, in the order an invitation runs them. */
export const followUpSteps: Record<FollowUpStepName, FollowUpStepDefinition> = {
  updateAttributes,
  addToGroup,
  assignLicense,
  assignAppRole,
}

/** The step names, in run order. */
export const followUpStepNames = Object.keys(followUpSteps) as FollowUpStepName[]

/** Every step under `identity` (`app` by default): the configuration's starting point. */
export function followUpIdentitiesAll(
  identity: StepIdentity = 'app',
): Record<FollowUpStepName, StepIdentity> {
  return Object.fromEntries(followUpStepNames.map((step) => [step, identity])) as Record<
    FollowUpStepName,
    StepIdentity
  >
}

/** What a step's target is, for sentences. */
const TARGET_NOUN: Record<FollowUpStepName, string> = {
  updateAttributes: 'user',
  addToGroup: 'group',
  assignLicense: 'SKU',
  assignAppRole: 'app role',
}

/**
 * The catalogued problem for a step Graph refused with 403: it names the step, the identity and what to grant, and
 * the invitation stays `partial` with it until an administrator grants it and the retrier succeeds.
 *
 * @example
 * forbiddenStep('addToGroup', 'app', '00000000-0000-4000-8000-0000000b0001').detail
 * // "The app identity may not add guests to the presets’ groups (group 0000…0001): make the BFF's service principal …"
 */
export function forbiddenStep(
  name: FollowUpStepName,
  identity: StepIdentity,
  target: string | undefined,
  cause?: unknown,
): ProblemError {
  const step = followUpSteps[name]
  const who = identity === 'app' ? "The BFF's app identity" : 'The signed-in inviter'
  const on = target ? ` (${TARGET_NOUN[name]} ${target})` : ''
  return new ProblemError('follow_up_forbidden', {
    detail: `${who} may not ${step.purpose}${on}: Microsoft Graph answered 403 Authorization_RequestDenied. To fix it, ${step.needs[identity].howToGrant}; the invitation is retried until it succeeds.`,
    cause,
  })
}
