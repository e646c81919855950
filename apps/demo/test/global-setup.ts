import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '@entra-share/emulator'

/**
 * Creates the emulator's CA in a fresh folder before the workers fork and trusts it (NODE_EXTRA_CA_CERTS is read
 * at process start), so the test can read the emulator's state; the `pnpm dev` stack it starts uses the same folder.
 */
export default function setup(): void {
  const dataDir =
    process.env.ENTRA_SHARE_EMULATOR_DATA ?? mkdtempSync(join(tmpdir(), 'entra-share-demo-test-'))
  const { caPath } = loadOrCreateTls(dataDir)
  process.env.ENTRA_SHARE_EMULATOR_DATA = dataDir
  process.env.NODE_EXTRA_CA_CERTS = caPath
}
