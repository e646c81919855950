/**
 * Dynamic membership rules of administrative units, the subset the emulator evaluates: one `user.userType -eq` clause
 * (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership — rule syntax shared by dynamic groups
 * and administrative units).
 */

/** A parsed rule: users whose `userType` equals `value`. */
export interface MembershipRule {
  property: 'userType'
  value: 'Member' | 'Guest'
}

const USER_TYPE_RULE = /^\(?\s*user\.userType\s+-eq\s+"(Guest|Member)"\s*\)?$/i

/**
 * Parses `(user.userType -eq "Guest")` or `(user.userType -eq "Member")` (parentheses optional, names and values
 * compared without regard to case, as Entra does). Returns `undefined` for any other rule.
 *
 * @example
 * parseMembershipRule('(user.userType -eq "Guest")') // { property: 'userType', value: 'Guest' }
 */
export function parseMembershipRule(rule: string): MembershipRule | undefined {
  const match = USER_TYPE_RULE.exec(rule.trim())
  if (!match) return undefined
  return { property: 'userType', value: (match[1] as string).toLowerCase() === 'guest' ? 'Guest' : 'Member' }
}

/** Whether a user with this `userType` matches the rule. */
export function ruleMatches(rule: MembershipRule, userType: 'Member' | 'Guest' | null): boolean {
  return userType === rule.value
}
