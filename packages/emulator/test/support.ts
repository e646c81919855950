import { defaultSeedIds, type EmulatorOptions, type RunningEmulator, startEmulator } from '../src/index.js'

/** Well-known objects of the default seed, by role. */
export const seeded = defaultSeedIds

/** Starts an emulator on a free port with the test data folder made by global-setup. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA, ...options })
}
