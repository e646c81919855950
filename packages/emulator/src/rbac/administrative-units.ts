import type { DirectoryGroup, DirectoryUser } from '../state/directory.js'
import { ruleMatches } from './membership-rule.js'
import type { AdministrativeUnitRecord } from './tenant-rbac.js'

/** Tells whether dynamic membership has processed a change made at a time (see `faults.dynamicMembershipDelayMs`). */
export type MembershipProcessed = (changedAtMs: number) => boolean

/**
 * Whether a user is a member of the unit: an assigned member, or matching a dynamic unit's rule as dynamic
 * membership last processed the user — until a change is processed, the user's previous `userType` counts (and a
 * user created since is in no dynamic unit yet).
 */
export function isUserInUnit(
  unit: AdministrativeUnitRecord,
  user: DirectoryUser,
  processed: MembershipProcessed,
): boolean {
  if (!unit.rule) return unit.members.has(user.id)
  const userType = processed(user.userTypeChangedAtMs) ? user.userType : user.previousUserType
  return ruleMatches(unit.rule, userType)
}

/** Whether a group is an (assigned) member of the unit; dynamic rules here select users only. */
export function isGroupInUnit(unit: AdministrativeUnitRecord, group: DirectoryGroup): boolean {
  return !unit.rule && unit.members.has(group.id)
}

/**
 * Records a change of `userType` for dynamic membership, before the change is applied.
 *
 * @example
 * noteUserTypeChange(user, 'Member', clock()); user.userType = 'Member'
 */
export function noteUserTypeChange(user: DirectoryUser, next: 'Member' | 'Guest', nowMs: number): void {
  if (next === user.userType) return
  user.previousUserType = user.userType
  user.userTypeChangedAtMs = nowMs
}

/** `membershipRuleProcessingState` as Graph shows it: `On` for dynamic units, `null` otherwise. */
export function processingStateOf(unit: AdministrativeUnitRecord): 'On' | null {
  return unit.rule ? 'On' : null
}
