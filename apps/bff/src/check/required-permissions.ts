import type { BffConfig } from '../config.js'
import { INVITE_PERMISSIONS } from '../identity/graph-token-provider.js'
import { type FollowUpStepName, followUpSteps, type StepIdentity } from '../invitations/follow-up-steps.js'

/** One Graph permission the BFF needs, satisfied by any of `anyOf` (least privileged first). */
export interface PermissionRequirement {
  /** What the BFF does with it, for the report. */
  purpose: string
  anyOf: readonly string[]
  /** Whose permission: a delegated one (On-Behalf-Of) or an application one (the app's own token). */
  identity: StepIdentity
  /** The follow-up step it serves; absent for the invitation itself. */
  step?: FollowUpStepName
}

/**
 * The Graph permissions the configuration needs, each under the identity that uses it: the invitation under the
 * Graph mode's (delegated, or the app's in `app` mode), each follow-up step under its configured identity. Setting
 * attributes is always possible (a request may carry its own); adding to groups, assigning licences and granting app
 * roles only when a preset asks for them.
 *
 * @example
 * requiredGraphPermissions({ presets: [], graphMode: 'delegated', followUpIdentities: { updateAttributes: 'app', addToGroup: 'app' } })
 *   .map((requirement) => `${requirement.identity} ${requirement.anyOf[0]}`)
 * // ['delegated User.Invite.All', 'app User.ReadWrite.All']
 */
export function requiredGraphPermissions(
  config: Pick<BffConfig, 'presets' | 'graphMode' | 'followUpIdentities'>,
): PermissionRequirement[] {
  const presetsAny = (has: (preset: BffConfig['presets'][number]) => boolean) => config.presets.some(has)
  const steps: FollowUpStepName[] = [
    'updateAttributes',
    ...(presetsAny((preset) => preset.groupIds.length > 0) ? (['addToGroup'] as const) : []),
    ...(presetsAny((preset) => (preset.licenses?.length ?? 0) > 0) ? (['assignLicense'] as const) : []),
    ...(presetsAny((preset) => (preset.appRoles?.length ?? 0) > 0) ? (['assignAppRole'] as const) : []),
  ]
  return [
    {
      purpose: 'invite guests',
      anyOf: INVITE_PERMISSIONS,
      identity: config.graphMode === 'app' ? 'app' : 'delegated',
    },
    ...steps.map((step): PermissionRequirement => {
      const identity = config.followUpIdentities[step]
      return {
        purpose: followUpSteps[step].purpose,
        anyOf: followUpSteps[step].needs[identity].graphPermissions,
        identity,
        step,
      }
    }),
  ]
}

/** The granted permission that satisfies a requirement (names compare ignoring case, as Entra does), if any. */
export function satisfiedBy(
  requirement: Pick<PermissionRequirement, 'anyOf'>,
  granted: Iterable<string>,
): string | undefined {
  const held = new Map([...granted].map((name) => [name.toLowerCase(), name]))
  for (const name of requirement.anyOf) {
    const match = held.get(name.toLowerCase())
    if (match) return match
  }
  return undefined
}
