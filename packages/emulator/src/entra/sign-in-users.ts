import type { DirectoryUser, TenantState } from '../directory.js'

/**
 * The accounts the sign-in page offers: enabled members of the tenant. Guests sign in at their home tenant, which
 * the emulator does not model.
 */
export function signInUsers(tenant: TenantState): DirectoryUser[] {
  return [...tenant.users.values()].filter((user) => user.userType === 'Member' && user.accountEnabled)
}

/** The account a `login_hint` names (user principal name or mail), if it may sign in. */
export function userForLoginHint(tenant: TenantState, hint: string): DirectoryUser | undefined {
  const key = hint.trim().toLowerCase()
  return signInUsers(tenant).find(
    (user) => user.userPrincipalName.toLowerCase() === key || user.mail?.toLowerCase() === key,
  )
}

/** The user behind a session or grant, while the account still exists and is enabled. */
export function activeUser(tenant: TenantState, userId: string): DirectoryUser | undefined {
  const user = tenant.users.get(userId.toLowerCase())
  return user?.accountEnabled ? user : undefined
}
