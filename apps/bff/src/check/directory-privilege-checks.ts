import type { BffConfig } from '../config.js'
import { type FollowUpStepName, followUpSteps } from '../invitations/follow-up-steps.js'
import type { CheckLine } from './check-report.js'
import { graphErrorText, probeJson } from './http-probe.js'

type PrivilegeConfig = Pick<BffConfig, 'clientId' | 'graphBaseUrl' | 'presets'>

/** How `check` reads Graph: the base URL, the app-only token, and the HTTP client. */
export interface PrivilegeCall {
  config: PrivilegeConfig
  accessToken: string
  fetchImpl: typeof fetch
  /** The BFF's service principal in the tenant. */
  servicePrincipalId: string
}

interface RoleAssignment {
  directoryScopeId?: string
  roleDefinition?: {
    displayName?: string
    rolePermissions?: { allowedResourceActions?: string[] }[]
  }
}

/**
 * Whether the BFF's service principal holds, in the directory, what an `app` step needs when no application
 * permission grants it: a role assignment whose role allows the step's action (for attributes: over the directory
 * or an administrative unit, ideally a dynamic one of guests), or (for groups) ownership of each preset group or a
 * role scoped to it. Graph answers the role assignments (`roleManagement/directory/roleAssignments`, with the
 * role definitions expanded) and the groups' owners to the app-only token when it holds Directory.Read.All.
 *
 * @example
 * const lines = await directoryPrivilegeLines(call, 'addToGroup')
 * // [{ ok: true, text: "The app's service principal owns group 0000…0001 (to add guests to the presets’ groups)." }]
 */
export async function directoryPrivilegeLines(
  call: PrivilegeCall,
  step: FollowUpStepName,
): Promise<CheckLine[]> {
  const definition = followUpSteps[step]
  const missing = (what: string): CheckLine => ({
    ok: false,
    text: `App ${call.config.clientId} may not ${definition.purpose}${what}: no application permission (${definition.needs.app.graphPermissions[0]}) and no directory role or ownership that allows it. To fix it, ${definition.needs.app.howToGrant}.`,
  })
  const assignments = await roleAssignmentsOf(call)
  if (!Array.isArray(assignments)) return [assignments]
  const action = definition.needs.app.roleAction
  const allowing = assignments.filter((assignment) => allowsAction(assignment, action))

  // Every step but groups is allowed by a role over the directory or over an administrative unit of guests.
  if (step !== 'addToGroup') {
    if (allowing.length === 0) return [missing('')]
    const lines: CheckLine[] = []
    for (const assignment of allowing) lines.push(await scopeLine(call, assignment, definition.purpose))
    return lines
  }

  const groupIds = [...new Set(call.config.presets.flatMap((preset) => preset.groupIds))]
  const lines: CheckLine[] = []
  for (const groupId of groupIds) {
    const role = allowing.find(
      (assignment) => assignment.directoryScopeId === '/' || assignment.directoryScopeId === `/${groupId}`,
    )
    if (role) {
      lines.push({
        ok: true,
        text: `The app's service principal holds role '${role.roleDefinition?.displayName ?? 'unnamed'}' over ${role.directoryScopeId === '/' ? 'the whole directory' : `group ${groupId}`} (to ${definition.purpose}).`,
      })
      continue
    }
    const owners = await probeJson(
      call.fetchImpl,
      `${call.config.graphBaseUrl}/groups/${encodeURIComponent(groupId)}/owners?$select=id`,
      call.accessToken,
    )
    // A group that does not exist is reported once, by the presets' group lines.
    if (owners.reached && owners.status === 404) continue
    if (!owners.reached || owners.status !== 200) {
      lines.push({
        ok: false,
        text: `The owners of group ${groupId} could not be read (${owners.reached ? `${owners.status} ${graphErrorText(owners.json)}` : owners.reason}): grant the app the application permission Directory.Read.All so check can read them.`,
      })
      continue
    }
    const ids = ((owners.json as { value?: { id?: string }[] }).value ?? []).map((owner) =>
      String(owner.id).toLowerCase(),
    )
    lines.push(
      ids.includes(call.servicePrincipalId.toLowerCase())
        ? {
            ok: true,
            text: `The app's service principal owns group ${groupId} (to ${definition.purpose}).`,
          }
        : missing(` (group ${groupId})`),
    )
  }
  return lines
}

/** One read of the role assignments per check run, however many steps ask. */
const assignmentReads = new WeakMap<PrivilegeCall, Promise<RoleAssignment[] | CheckLine>>()

function roleAssignmentsOf(call: PrivilegeCall): Promise<RoleAssignment[] | CheckLine> {
  let read = assignmentReads.get(call)
  if (!read) {
    read = readRoleAssignments(call)
    assignmentReads.set(call, read)
  }
  return read
}

/** The service principal's role assignments with their definitions, or the line saying why they are unreadable. */
async function readRoleAssignments(call: PrivilegeCall): Promise<RoleAssignment[] | CheckLine> {
  const filter = encodeURIComponent(`principalId eq '${call.servicePrincipalId}'`)
  const result = await probeJson(
    call.fetchImpl,
    `${call.config.graphBaseUrl}/roleManagement/directory/roleAssignments?$filter=${filter}&$expand=roleDefinition`,
    call.accessToken,
  )
  if (result.reached && result.status === 200)
    return (result.json as { value?: RoleAssignment[] }).value ?? []
  return {
    ok: false,
    text: `The directory role assignments of app ${call.config.clientId} could not be read (${result.reached ? `${result.status} ${graphErrorText(result.json)}` : result.reason}): grant it the application permission RoleManagement.Read.Directory (or Directory.Read.All) so check can read them.`,
  }
}

/** The line for one role assignment that allows a step: the whole directory, or an administrative unit. */
async function scopeLine(
  call: PrivilegeCall,
  assignment: RoleAssignment,
  purpose: string,
): Promise<CheckLine> {
  const role = `'${assignment.roleDefinition?.displayName ?? 'unnamed'}'`
  const scope = assignment.directoryScopeId ?? '/'
  if (scope === '/')
    return {
      ok: true,
      text: `The app's service principal holds role ${role} over the whole directory (to ${purpose}).`,
    }
  const unitId = /^\/administrativeUnits\/(.+)$/.exec(scope)?.[1]
  if (!unitId)
    return {
      ok: true,
      warning: true,
      text: `The app's service principal holds role ${role} scoped to ${scope}, which covers no guest: it cannot ${purpose} unless the guests fall under it.`,
    }
  const unit = await probeJson(
    call.fetchImpl,
    `${call.config.graphBaseUrl}/directory/administrativeUnits/${encodeURIComponent(unitId)}?$select=id,displayName,membershipType,membershipRule`,
    call.accessToken,
  )
  const body =
    unit.reached && unit.status === 200
      ? (unit.json as {
          displayName?: string
          membershipType?: string | null
          membershipRule?: string | null
        })
      : undefined
  const name = body?.displayName ? `'${body.displayName}'` : unitId
  const guestsJoin =
    body?.membershipType === 'Dynamic' && /user\.userType\s+-eq\s+"Guest"/i.test(body.membershipRule ?? '')
  return guestsJoin
    ? {
        ok: true,
        text: `The app's service principal holds role ${role} over administrative unit ${name}, whose members are every guest (${body?.membershipRule}) (to ${purpose}; a new guest joins it after a short delay, and the BFF retries until then).`,
      }
    : {
        ok: true,
        warning: true,
        text: `The app's service principal holds role ${role} over administrative unit ${name}, which guests do not join by themselves: make it a dynamic unit with the rule (user.userType -eq "Guest"), or the BFF cannot ${purpose}.`,
      }
}

/**
 * Whether a role allows an action, with Entra's wildcards: `allProperties` stands for any property segment and
 * `allTasks` for any task (as in `microsoft.directory/users/allProperties/allTasks`).
 */
export function allowsAction(assignment: RoleAssignment, action: string): boolean {
  const wanted = action.toLowerCase().split('/')
  return (assignment.roleDefinition?.rolePermissions ?? []).some((permission) =>
    (permission.allowedResourceActions ?? []).some((allowed) => {
      const parts = allowed.toLowerCase().split('/')
      if (parts.length !== wanted.length) return false
      return parts.every(
        (part, index) => part === wanted[index] || part === 'allproperties' || part === 'alltasks',
      )
    }),
  )
}
