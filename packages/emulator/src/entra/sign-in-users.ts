import type { DirectoryUser, TenantState } from '../state/directory.js'

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

/** The accounts the sign-in page offers for an authority: enabled members of each of its tenants. */
export function signInUsersOf(tenants: TenantState[]): DirectoryUser[] {
  return tenants.flatMap(signInUsers)
}

/** The account a `login_hint` names in any of the authority's tenants, if it may sign in. */
export function userForLoginHintIn(tenants: TenantState[], hint: string): DirectoryUser | undefined {
  for (const tenant of tenants) {
    const user = userForLoginHint(tenant, hint)
    if (user) return user
  }
  return undefined
}

/** The user behind a session, when the session's tenant is one of the authority's and the account is still active. */
export function activeUserIn(
  tenants: TenantState[],
  tenantId: string,
  userId: string,
): DirectoryUser | undefined {
  const tenant = tenants.find((candidate) => candidate.id === tenantId)
  return tenant ? activeUser(tenant, userId) : undefined
}
