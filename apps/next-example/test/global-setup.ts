import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '@entra-share/emulator'

/**
 * Runs before the test workers fork: creates the emulator's local CA in a fresh folder and trusts it through
 * NODE_EXTRA_CA_CERTS (Node reads it only at process start), so the BFF's msal-node and Graph calls and the test's
 * reads of the emulator trust it as a deployed BFF trusts Microsoft. The folder goes when the run ends.
 */
export default function setup(): () => void {
  const given = process.env.ENTRA_SHARE_EMULATOR_DATA
  const dataDir = given ?? mkdtempSync(join(tmpdir(), 'entra-share-next-example-'))
  const { caPath } = loadOrCreateTls(dataDir)
  process.env.ENTRA_SHARE_EMULATOR_DATA = dataDir
  process.env.NODE_EXTRA_CA_CERTS = caPath
  return () => {
    if (!given) rmSync(dataDir, { recursive: true, force: true })
  }
}
