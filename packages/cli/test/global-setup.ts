import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '@entra-share/emulator'

/**
 * Runs once before the test workers fork: creates the emulator's local CA in a fresh folder and exports
 * NODE_EXTRA_CA_CERTS (Node reads it only at process start), so the BFF in the worker and the CLI processes the
 * tests start trust the emulator exactly as they would trust Microsoft.
 */
export default function setup(): void {
  const dataDir =
    process.env.ENTRA_SHARE_EMULATOR_DATA ?? mkdtempSync(join(tmpdir(), 'entra-share-cli-test-'))
  const { caPath } = loadOrCreateTls(dataDir)
  process.env.ENTRA_SHARE_EMULATOR_DATA = dataDir
  process.env.NODE_EXTRA_CA_CERTS = caPath
}
