import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '@entra-share/emulator'

/**
 * Runs before the test workers fork: creates the emulator's local CA in a fresh folder and trusts it through
 * NODE_EXTRA_CA_CERTS (Node reads it only at process start), so the BFF's msal-node and Graph calls and the test's
 * own reads of the emulator trust it as a deployed BFF trusts Microsoft.
 */
export default function setup(): void {
  const dataDir =
    process.env.ENTRA_SHARE_EMULATOR_DATA ?? mkdtempSync(join(tmpdir(), 'entra-share-react-browser-'))
  const { caPath } = loadOrCreateTls(dataDir)
  process.env.ENTRA_SHARE_EMULATOR_DATA = dataDir
  process.env.NODE_EXTRA_CA_CERTS = caPath
}
