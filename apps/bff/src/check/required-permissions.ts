import type { BffConfig } from '../config.js'

/** One Graph permission the BFF needs, satisfied by any of `anyOf` (least privileged first). */
export interface PermissionRequirement {
  /** What the BFF does with it, for the report. */
  purpose: string
  anyOf: readonly string[]
}

const INVITE: PermissionRequirement = {
  purpose: 'invite guests',
  anyOf: ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
}
const ADD_TO_GROUPS: PermissionRequirement = {
  purpose: 'add guests to the presets’ groups',
  anyOf: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
}
const SET_ATTRIBUTES: PermissionRequirement = {
  purpose: 'set the attributes presets define',
  anyOf: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
}

/**
 * The Graph permissions the configuration needs — delegated ones in `delegated` mode, application ones in `app`
 * mode: inviting, adding to groups, and writing users only when a preset sets attributes.
 *
 * @example
 * requiredGraphPermissions({ presets: [] }).map((requirement) => requirement.anyOf[0])
 * // ['User.Invite.All', 'GroupMember.ReadWrite.All']
 */
export function requiredGraphPermissions(config: Pick<BffConfig, 'presets'>): PermissionRequirement[] {
  const setsAttributes = config.presets.some(
    (preset) => preset.attributes && Object.values(preset.attributes).some((value) => value !== undefined),
  )
  return setsAttributes ? [INVITE, ADD_TO_GROUPS, SET_ATTRIBUTES] : [INVITE, ADD_TO_GROUPS]
}

/** The granted permission that satisfies a requirement (names compare ignoring case, as Entra does), if any. */
export function satisfiedBy(
  requirement: PermissionRequirement,
  granted: Iterable<string>,
): string | undefined {
  const held = new Map([...granted].map((name) => [name.toLowerCase(), name]))
  for (const name of requirement.anyOf) {
    const match = held.get(name.toLowerCase())
    if (match) return match
  }
  return undefined
}
