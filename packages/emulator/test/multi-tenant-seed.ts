import { defaultSeed, type Seed } from '../src/index.js'
import type { ApplicationSeed } from '../src/state/seed.js'
import { seeded } from './support.js'

/** A mobile and desktop app registered in Contoso for users of any organization, consented in Tailspin. */
export const multiTenantNativeApp = {
  clientId: 'a11e0000-0000-4000-8000-00000000d001',
  displayName: 'Contoso Notes (desktop)',
  redirectUri: 'http://localhost',
} as const

/** A multi-tenant mobile and desktop app that only Contoso lists (no other tenant has consented to it). */
export const contosoOnlyNativeApp = {
  clientId: 'a11e0000-0000-4000-8000-00000000d002',
  displayName: 'Contoso Wiki (desktop)',
} as const

/** The callback the multi-tenant BFF's web sign-in uses in these tests. */
export const BFF_WEB_REDIRECT_URI = 'http://localhost/auth/callback'

/** Alex Wilber, the one member of Tailspin Toys. */
export const tailspinUser = {
  id: '00000000-0000-4000-8000-0000000c0001',
  upn: 'alex@tailspin.example',
} as const

/**
 * The default seed with multi-tenant apps, as Microsoft's multi-tenant samples register them
 * (`signInAudience: AzureADMultipleOrgs` on the home registration in Contoso; the entries of the same client id in
 * Tailspin stand for the service principals an administrator's consent created there): the demo SPA, the BFF (with a
 * web redirect URI) and a desktop app; plus a multi-tenant desktop app that only Contoso lists.
 */
export function multiTenantSeed(): Seed {
  const seed = structuredClone(defaultSeed)
  const [contoso, tailspin] = seed.tenants
  if (!contoso || !tailspin) throw new Error('The default seed has no Contoso and Tailspin tenants.')
  for (const tenant of [contoso, tailspin]) {
    for (const app of tenant.applications) {
      if (app.clientId === seeded.bffClientId) app.redirectUris = [BFF_WEB_REDIRECT_URI]
    }
    const native: ApplicationSeed = {
      clientId: multiTenantNativeApp.clientId,
      displayName: multiTenantNativeApp.displayName,
      kind: 'public',
      redirectUris: [multiTenantNativeApp.redirectUri],
    }
    tenant.applications.push(native)
  }
  const multiTenant = new Set<string>([seeded.spaClientId, seeded.bffClientId, multiTenantNativeApp.clientId])
  for (const app of contoso.applications) {
    if (multiTenant.has(app.clientId)) {
      app.signInAudience = 'AzureADMultipleOrgs'
    }
  }
  contoso.applications.push({
    clientId: contosoOnlyNativeApp.clientId,
    displayName: contosoOnlyNativeApp.displayName,
    kind: 'public',
    signInAudience: 'AzureADMultipleOrgs',
    redirectUris: ['http://localhost'],
  })
  return seed
}
