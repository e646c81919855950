import type { BffConfig } from '../config.js'
import { followUpSteps } from '../invitations/follow-up-steps.js'
import type { CheckLine } from './check-report.js'
import { directoryPrivilegeLines } from './directory-privilege-checks.js'
import { graphErrorText, probeJson } from './http-probe.js'
import { type PermissionRequirement, requiredGraphPermissions, satisfiedBy } from './required-permissions.js'

const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'

type GraphCheckConfig = Pick<
  BffConfig,
  'tenantId' | 'clientId' | 'graphBaseUrl' | 'graphMode' | 'presets' | 'followUpIdentities'
>

interface GraphCall {
  config: GraphCheckConfig
  accessToken: string
  fetchImpl: typeof fetch
}

/**
 * Everything the check verifies through Microsoft Graph with the app-only token: that Graph answers, that the
 * permissions the Graph mode needs are granted (application permissions from the token's `roles`; delegated ones from
 * the app's admin-consented `oauth2PermissionGrants`), and that every preset's groups exist.
 *
 * @example
 * const lines = await checkGraph(config, { accessToken, roles }, fetch)
 */
export async function checkGraph(
  config: GraphCheckConfig,
  token: { accessToken: string; roles: string[] },
  fetchImpl: typeof fetch,
): Promise<CheckLine[]> {
  const call: GraphCall = { config, accessToken: token.accessToken, fetchImpl }
  // An app may always read its own service principal, so this is also the probe that Graph answers at all.
  const self = await probeJson(
    fetchImpl,
    `${config.graphBaseUrl}/servicePrincipals(appId='${config.clientId}')?$select=id`,
    token.accessToken,
  )
  if (!self.reached) {
    return [
      {
        ok: false,
        text: `Microsoft Graph could not be reached at ${config.graphBaseUrl} (${self.reason}): check ENTRA_SHARE_GRAPH_BASE_URL.`,
      },
    ]
  }
  const body = self.json as { id?: unknown; error?: unknown } | undefined
  if (!body || (typeof body.id !== 'string' && !body.error)) {
    return [
      {
        ok: false,
        text: `${config.graphBaseUrl} answered ${self.status} but not as Microsoft Graph does: check ENTRA_SHARE_GRAPH_BASE_URL (it ends in /v1.0).`,
      },
    ]
  }
  if (self.status === 401) {
    return [
      {
        ok: false,
        text: `Microsoft Graph at ${config.graphBaseUrl} refused the app's token (${graphErrorText(self.json)}): ENTRA_SHARE_GRAPH_BASE_URL and ENTRA_SHARE_AUTHORITY_HOST must belong to the same cloud.`,
      },
    ]
  }
  const lines: CheckLine[] = [{ ok: true, text: `Microsoft Graph answers at ${config.graphBaseUrl}.` }]
  const servicePrincipalId = self.status === 200 && typeof body.id === 'string' ? body.id : null
  const requirements = requiredGraphPermissions(config)
  const delegated = requirements.filter((requirement) => requirement.identity === 'delegated')
  const app = requirements.filter((requirement) => requirement.identity === 'app')
  if (app.length > 0)
    lines.push(...(await applicationPermissionLines(call, app, token.roles, servicePrincipalId)))
  if (delegated.length > 0)
    lines.push(...(await delegatedPermissionLines(call, delegated, servicePrincipalId, self.status)))
  lines.push(...(await presetGroupLines(call)))
  return lines
}

/**
 * The app identity's needs: the invitation (in `app` mode) needs an application permission; an `app` follow-up step
 * is allowed by an application permission or, least privileged, by a directory role or group ownership of the
 * service principal.
 */
async function applicationPermissionLines(
  call: GraphCall,
  needed: PermissionRequirement[],
  roles: string[],
  servicePrincipalId: string | null,
): Promise<CheckLine[]> {
  const { config } = call
  const lines: CheckLine[] = [
    {
      ok: true,
      text: `Application permissions in the app-only token (roles): ${roles.length ? roles.join(', ') : 'none'}.`,
    },
  ]
  const privilegeCall = servicePrincipalId
    ? { config, accessToken: call.accessToken, fetchImpl: call.fetchImpl, servicePrincipalId }
    : undefined
  for (const requirement of needed) {
    const held = satisfiedBy(requirement, roles)
    if (held) {
      lines.push({ ok: true, text: `Application permission ${held} (to ${requirement.purpose}) is granted.` })
    } else if (requirement.step && privilegeCall) {
      const privileges = await directoryPrivilegeLines(privilegeCall, requirement.step)
      // "The role assignments could not be read" is the same sentence for every step: say it once.
      lines.push(...privileges.filter((line) => !lines.some((said) => said.text === line.text)))
    } else {
      lines.push({
        ok: false,
        text: `Application permission ${requirement.anyOf[0]} (to ${requirement.purpose}) is missing from the token's roles: add it to app ${config.clientId} under API permissions > Microsoft Graph > Application permissions and grant admin consent.`,
      })
    }
  }
  return lines
}

async function delegatedPermissionLines(
  call: GraphCall,
  needed: PermissionRequirement[],
  servicePrincipalId: string | null,
  lookupStatus: number,
): Promise<CheckLine[]> {
  const { config } = call
  if (!servicePrincipalId) {
    return [
      {
        ok: false,
        text:
          lookupStatus === 404
            ? `App ${config.clientId} has no service principal in tenant ${config.tenantId}: an administrator must consent to it there (then its delegated permissions ${names(needed)} can be granted).`
            : `The app's service principal could not be read (status ${lookupStatus}), so its delegated permission grants could not be checked.`,
      },
    ]
  }
  const filter = encodeURIComponent(`clientId eq '${servicePrincipalId}'`)
  const grants = await probeJson(
    call.fetchImpl,
    `${config.graphBaseUrl}/oauth2PermissionGrants?$filter=${filter}`,
    call.accessToken,
  )
  if (!grants.reached || grants.status !== 200) {
    const why = !grants.reached
      ? grants.reason
      : grants.status === 403
        ? 'the app-only token lacks Directory.Read.All'
        : graphErrorText(grants.json)
    return [
      {
        ok: false,
        text: `The delegated permission grants of app ${config.clientId} could not be read (${why}): grant it the application permission Directory.Read.All with admin consent so check can read them, or confirm in the Entra admin center that ${names(needed)} have admin consent.`,
      },
    ]
  }
  const graphId = await microsoftGraphServicePrincipalId(call)
  const onGraph = ((grants.json as { value?: Grant[] }).value ?? []).filter(
    (grant) => graphId === null || grant.resourceId === graphId,
  )
  const consented = scopesOf(onGraph.filter((grant) => grant.consentType === 'AllPrincipals'))
  const perUser = scopesOf(onGraph.filter((grant) => grant.consentType === 'Principal'))
  const lines: CheckLine[] = [
    {
      ok: true,
      text: `Delegated permissions with admin consent: ${consented.length ? consented.join(', ') : 'none'}.`,
    },
  ]
  for (const requirement of needed) {
    const held = satisfiedBy(requirement, consented)
    if (held) {
      lines.push({
        ok: true,
        text: `Delegated permission ${held} (to ${requirement.purpose}) has admin consent.`,
      })
      // Entra also checks the signed-in user's own roles for a delegated step: check cannot know who signs in.
      if (requirement.step)
        lines.push({
          ok: true,
          warning: true,
          text: `Follow-up step ${requirement.step} runs as the signed-in inviter (ENTRA_SHARE_FOLLOW_UP_IDENTITY): besides ${held}, ${followUpSteps[requirement.step].needs.delegated.howToGrant}; other inviters' invitations stay partial.`,
        })
      continue
    }
    const userOnly = satisfiedBy(requirement, perUser)
    lines.push({
      ok: false,
      text: userOnly
        ? `Delegated permission ${userOnly} (to ${requirement.purpose}) is consented by individual users only: On-Behalf-Of needs admin consent for all users; grant admin consent to app ${config.clientId}.`
        : `Delegated permission ${requirement.anyOf[0]} (to ${requirement.purpose}) has no admin consent: add it to app ${config.clientId} under API permissions > Microsoft Graph > Delegated permissions and grant admin consent.`,
    })
  }
  return lines
}

interface Grant {
  consentType?: string
  resourceId?: string
  scope?: string
}

/** Microsoft Graph's service principal in the tenant, to keep only grants on Graph; `null` when unreadable. */
async function microsoftGraphServicePrincipalId(call: GraphCall): Promise<string | null> {
  const result = await probeJson(
    call.fetchImpl,
    `${call.config.graphBaseUrl}/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id`,
    call.accessToken,
  )
  const id = result.reached && result.status === 200 ? (result.json as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : null
}

function scopesOf(grants: Grant[]): string[] {
  return [...new Set(grants.flatMap((grant) => (grant.scope ?? '').split(' ').filter(Boolean)))]
}

async function presetGroupLines(call: GraphCall): Promise<CheckLine[]> {
  const { config } = call
  const presetsByGroup = new Map<string, string[]>()
  for (const preset of config.presets) {
    for (const groupId of preset.groupIds) {
      presetsByGroup.set(groupId, [...(presetsByGroup.get(groupId) ?? []), preset.label])
    }
  }
  const lines: CheckLine[] = []
  for (const [groupId, labels] of presetsByGroup) {
    const presets = labels.map((label) => `'${label}'`).join(', ')
    const result = await probeJson(
      call.fetchImpl,
      `${config.graphBaseUrl}/groups/${encodeURIComponent(groupId)}?$select=id,displayName`,
      call.accessToken,
    )
    if (!result.reached) {
      lines.push({
        ok: false,
        text: `Group ${groupId} of preset ${presets} could not be checked (${result.reason}).`,
      })
    } else if (result.status === 200) {
      const name = (result.json as { displayName?: unknown }).displayName
      lines.push({ ok: true, text: `Group '${String(name)}' (${groupId}) of preset ${presets} exists.` })
    } else if (result.status === 404 || result.status === 400) {
      lines.push({
        ok: false,
        text: `Group ${groupId} of preset ${presets} does not exist in tenant ${config.tenantId}: fix its id in ENTRA_SHARE_PRESETS_FILE.`,
      })
    } else if (result.status === 403) {
      // Every other group would answer the same: say it once.
      lines.push({
        ok: false,
        text: `The presets' groups could not be checked: the app-only token lacks GroupMember.Read.All (or Group.Read.All, Directory.Read.All); grant one as an application permission with admin consent.`,
      })
      break
    } else {
      lines.push({
        ok: false,
        text: `Group ${groupId} of preset ${presets} could not be checked (${result.status} ${graphErrorText(result.json)}).`,
      })
    }
  }
  return lines
}

function names(requirements: PermissionRequirement[]): string {
  return requirements.map((requirement) => requirement.anyOf[0]).join(', ')
}
