import type { ApplicationSeed, Seed } from './seed-schema.js'

/** The values of an application manifest's `signInAudience`. */
export type SignInAudience = NonNullable<ApplicationSeed['signInAudience']>

/** `signInAudience` when the seed leaves it out: Entra's default for a new registration, this organization only. */
export const DEFAULT_SIGN_IN_AUDIENCE: SignInAudience = 'AzureADMyOrg'

// Personal Microsoft accounts (outlook.com, live.com) live outside any tenant; the emulator has none.
const PERSONAL_ACCOUNT_AUDIENCES = new Set<SignInAudience>([
  'AzureADandPersonalMicrosoftAccount',
  'PersonalMicrosoftAccount',
])

/** The app's `signInAudience`, defaulted. */
export function signInAudienceOf(app: ApplicationSeed): SignInAudience {
  return app.signInAudience ?? DEFAULT_SIGN_IN_AUDIENCE
}

/** Whether users of any organization may sign in to the app at `/organizations` and `/common`. */
export function isMultiTenant(app: ApplicationSeed): boolean {
  return signInAudienceOf(app) === 'AzureADMultipleOrgs'
}

/**
 * What is wrong with the seed's sign-in audiences, if anything: an audience that admits personal Microsoft accounts
 * (not emulated), or one client id listed with different explicit audiences in two tenants (a multi-tenant app has
 * one registration, so one audience; the entries in other tenants stand for its service principals there).
 */
export function signInAudienceProblem(seed: Seed): string | undefined {
  const declared = new Map<string, { audience: SignInAudience; tenant: string }>()
  for (const tenant of seed.tenants) {
    for (const app of tenant.applications) {
      const audience = app.signInAudience
      if (!audience) continue
      if (PERSONAL_ACCOUNT_AUDIENCES.has(audience)) {
        return `application ${app.displayName} has signInAudience ${audience}: personal Microsoft accounts are not emulated; use AzureADMyOrg or AzureADMultipleOrgs`
      }
      const key = app.clientId.toLowerCase()
      const earlier = declared.get(key)
      if (earlier && earlier.audience !== audience) {
        return `application ${app.displayName} (${app.clientId}) has signInAudience ${audience} in ${tenant.displayName} but ${earlier.audience} in ${earlier.tenant}; one app registration has one sign-in audience`
      }
      declared.set(key, { audience, tenant: tenant.displayName })
    }
  }
  return undefined
}
