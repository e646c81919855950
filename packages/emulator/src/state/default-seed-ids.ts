/**
 * Well-known objects of the default seed (`default-seed.json`), by role, for tests that sign in, invite and assert
 * against the emulator without copying GUIDs around.
 *
 * @example
 * const { access_token } = await signInToSpa(emulator, defaultSeedIds.inviter.upn)
 */
export const defaultSeedIds = {
  contosoTenantId: 'c0de0000-0000-4000-8000-000000000001',
  tailspinTenantId: '7a115b00-0000-4000-8000-000000000002',
  spaClientId: '5a000000-0000-4000-8000-00000000a001',
  /** The `entra-share` command line: a public client that signs in with the device code flow. */
  cliClientId: 'c11e0000-0000-4000-8000-00000000c001',
  bffClientId: 'bff00000-0000-4000-8000-00000000b001',
  bffClientSecret: 'dev-bff-secret-not-for-production',
  bffScope: 'api://bff00000-0000-4000-8000-00000000b001/Invitations.Send',
  unconsentedBffClientId: 'bff00000-0000-4000-8000-00000000b002',
  unconsentedBffClientSecret: 'dev-unconsented-secret-not-for-production',
  /** Megan Bowen, a Guest Inviter. */
  inviter: { id: '00000000-0000-4000-8000-0000000a0001', upn: 'megan@contoso.example' },
  /** Adele Vance, User Administrator with the BFF's `Invitations.Admin` role. */
  admin: { id: '00000000-0000-4000-8000-0000000a0002', upn: 'adele@contoso.example' },
  /** Lee Gu, who may not invite. */
  nonInviter: { id: '00000000-0000-4000-8000-0000000a0003', upn: 'lee@contoso.example' },
  /** Nestor Wilke, whose sign-in needs MFA. */
  mfaUser: { id: '00000000-0000-4000-8000-0000000a0004', upn: 'nestor@contoso.example' },
  /** Grace, a guest already in the directory. */
  existingGuest: { id: '00000000-0000-4000-8000-0000000a0005', mail: 'grace@northwind.example' },
  apolloGroupId: '00000000-0000-4000-8000-0000000b0001',
  portalGroupId: '00000000-0000-4000-8000-0000000b0002',
  /** The dynamic administrative unit of every guest, `(user.userType -eq "Guest")`. */
  guestsUnitId: '00000000-0000-4000-8000-0000000d0001',
  /** The custom role the BFF's service principal holds over the Guests unit. */
  guestProfileWriterRoleId: '00000000-0000-4000-8000-0000000e0001',
} as const
