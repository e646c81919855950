import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '../src/crypto/certificates.js'

/**
 * Runs once before the test workers start: creates the emulator's local CA in a fresh folder and exports
 * NODE_EXTRA_CA_CERTS, which Node reads only at process start — the forked workers inherit it, so the real
 * clients (msal-node, the Graph SDK, jose) trust the emulator exactly as a deployed BFF would.
 */
export default function setup(): void {
  const dataDir =
    process.env.ENTRA_SHARE_EMULATOR_DATA ?? mkdtempSync(join(tmpdir(), 'entra-share-emulator-test-'))
  const { caPath } = loadOrCreateTls(dataDir)
  process.env.ENTRA_SHARE_EMULATOR_DATA = dataDir
  process.env.NODE_EXTRA_CA_CERTS = caPath
}
