import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '@entra-share/emulator'

/**
 * Runs once before the test workers fork: creates the emulator's local CA in a fresh folder and exports
 * NODE_EXTRA_CA_CERTS (Node reads it only at process start), so msal-node, jose and the Graph SDK inside the BFF
 * trust the emulator exactly as a deployed BFF trusts Microsoft.
 */
export default function setup(): void {
  const dataDir =
    process.env.ENTRA_SHARE_EMULATOR_DATA ?? mkdtempSync(join(tmpdir(), 'entra-share-bff-test-'))
  const { caPath } = loadOrCreateTls(dataDir)
  process.env.ENTRA_SHARE_EMULATOR_DATA = dataDir
  process.env.NODE_EXTRA_CA_CERTS = caPath
}
