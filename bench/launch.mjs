// Node reads NODE_EXTRA_CA_CERTS only at start-up: create the emulator's local CA first, then run the benchmarks in
// a child process that trusts it, exactly as a deployed BFF trusts Microsoft's certificates.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateTls } from '@entra-share/emulator'

const dataDir = process.env.ENTRA_SHARE_EMULATOR_DATA ?? mkdtempSync(join(tmpdir(), 'entra-share-bench-'))
const { caPath } = loadOrCreateTls(dataDir)
const only = process.argv.slice(2)
const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/run.ts', ...only], {
  stdio: 'inherit',
  env: { ...process.env, ENTRA_SHARE_EMULATOR_DATA: dataDir, NODE_EXTRA_CA_CERTS: caPath },
})
process.exit(result.status ?? 1)
