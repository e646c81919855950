import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@entra-share/emulator'

/** Well-known objects of the emulator's default seed, by role. */
export const seeded = {
  tenantId: 'c0de0000-0000-4000-8000-000000000001',
  otherTenantId: '7a115b00-0000-4000-8000-000000000002',
  spaClientId: '5a000000-0000-4000-8000-00000000a001',
  bffClientId: 'bff00000-0000-4000-8000-00000000b001',
  bffClientSecret: 'dev-bff-secret-not-for-production',
  bffScope: 'api://bff00000-0000-4000-8000-00000000b001/Invitations.Send',
  unconsentedBffClientId: 'bff00000-0000-4000-8000-00000000b002',
  unconsentedBffClientSecret: 'dev-unconsented-secret-not-for-production',
  inviter: { id: '00000000-0000-4000-8000-0000000a0001', upn: 'megan@contoso.example' },
  admin: { id: '00000000-0000-4000-8000-0000000a0002', upn: 'adele@contoso.example' },
  nonInviter: { id: '00000000-0000-4000-8000-0000000a0003', upn: 'lee@contoso.example' },
  mfaUser: { id: '00000000-0000-4000-8000-0000000a0004', upn: 'nestor@contoso.example' },
  existingGuest: { id: '00000000-0000-4000-8000-0000000a0005', mail: 'grace@northwind.example' },
  apolloGroupId: '00000000-0000-4000-8000-0000000b0001',
  portalGroupId: '00000000-0000-4000-8000-0000000b0002',
} as const

/** Starts an emulator on a free port with the test CA made by global-setup. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA, ...options })
}
