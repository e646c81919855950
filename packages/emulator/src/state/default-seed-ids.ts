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
  /** Contoso's Dynamics 365 Team Members subscription: 25 units, none assigned. */
  teamMembersSku: {
    skuId: '8e7a3d30-d97d-43ab-837c-d7701cef83dc',
    skuPartNumber: 'DYN365_ENTERPRISE_TEAM_MEMBERS',
  },
  /** Contoso's Power BI Pro subscription: 1 unit, held by Adele, so none is free (`setPrepaidUnits` adds more). */
  powerBiProSku: { skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560', skuPartNumber: 'POWER_BI_PRO' },
  /** The directory extension the BFF's app registration declares on users (String). */
  partnerIdExtension: 'extension_bff0000000004000800000000000b001_partnerId',
  /**
   * Contoso Projects, a line-of-business app with app roles for users; its enterprise application requires assignment
   * (`appRoleAssignmentRequired`) and Megan owns it. Lee holds `Project.Reader`.
   */
  projects: {
    clientId: '10b00000-0000-4000-8000-00000000f001',
    contributorRoleId: '10b00000-0000-4000-8000-0000000fa001',
    readerRoleId: '10b00000-0000-4000-8000-0000000fa002',
  },
} as const
