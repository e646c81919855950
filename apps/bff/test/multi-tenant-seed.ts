import { defaultSeed, defaultSeedIds, type Seed } from '@entra-share/emulator'

const consented = (...names: string[]) => names.map((name) => ({ name, adminConsent: true }))

/**
 * The default seed with the BFF usable by Tailspin's users, as a multi-tenant app is once an administrator of
 * Tailspin has consented to it (https://learn.microsoft.com/entra/identity-platform/howto-convert-app-to-be-multi-tenant):
 * the BFF's service principal in Tailspin (the seed's application entry of the same client id) holds admin-consented
 * delegated and application Graph permissions, and Tailspin's administrators may invite guests (the default seed
 * switches invitations off there, `allowInvitesFrom: none`, which the emulator's own tests rely on).
 */
export function multiTenantSeed(): Seed {
  const seed = structuredClone(defaultSeed)
  const tailspin = seed.tenants.find((tenant) => tenant.id === defaultSeedIds.tailspinTenantId)
  const bff = tailspin?.applications.find((app) => app.clientId === defaultSeedIds.bffClientId)
  if (!tailspin || !bff) throw new Error('The default seed has no Tailspin tenant with the BFF app.')
  tailspin.settings = { ...tailspin.settings, allowInvitesFrom: 'adminsAndGuestInviters' }
  bff.graphDelegatedPermissions = consented(
    'User.Read',
    'User.Invite.All',
    'User.ReadWrite.All',
    'GroupMember.ReadWrite.All',
  )
  bff.graphApplicationPermissions = consented(
    'User.Invite.All',
    'User.ReadWrite.All',
    'GroupMember.ReadWrite.All',
  )
  return seed
}
