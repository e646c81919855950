import type { DirectoryUser, TenantState } from '../state/directory.js'

/**
 * A member of one of the tenants whose account is disabled (`accountEnabled: false`), by user principal name, mail or
 * object id: the sign-in pages refuse it with AADSTS50057 "The user account is disabled." instead of not finding it
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes, `UserDisabled`).
 *
 * @example
 * disabledMemberIn([contoso], 'lee@contoso.example') // Lee, once `PATCH /users/{id}` set accountEnabled to false
 */
export function disabledMemberIn(tenants: TenantState[], userKey: string): DirectoryUser | undefined {
  const key = userKey.trim().toLowerCase()
  for (const tenant of tenants) {
    for (const user of tenant.users.values()) {
      if (user.userType !== 'Member' || user.accountEnabled) continue
      if (user.id === key || user.userPrincipalName.toLowerCase() === key || user.mail?.toLowerCase() === key)
        return user
    }
  }
  return undefined
}
