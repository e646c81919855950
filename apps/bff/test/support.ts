import {
  defaultSeedIds,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from '@entra-share/emulator'

/** Well-known objects of the emulator's default seed, by role. */
export const seeded = {
  ...defaultSeedIds,
  tenantId: defaultSeedIds.contosoTenantId,
  otherTenantId: defaultSeedIds.tailspinTenantId,
} as const

/** Starts an emulator on a free port with the test CA made by global-setup. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA, ...options })
}
