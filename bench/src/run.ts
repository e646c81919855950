import { benchInvitations } from './bff-invite-bench.js'
import { benchBulk } from './bulk-bench.js'
import { benchBulkThrottle } from './bulk-throttle-bench.js'
import { benchFootprint } from './footprint-bench.js'

/** `pnpm bench [name…]`: runs every benchmark, or the named ones. */
const benchmarks: Record<string, () => Promise<void>> = {
  invitations: benchInvitations,
  bulk: benchBulk,
  'bulk-throttle': benchBulkThrottle,
  footprint: benchFootprint,
}

const chosen = process.argv.slice(2)
for (const name of chosen) {
  if (!benchmarks[name]) {
    console.error(`Unknown benchmark '${name}'; known: ${Object.keys(benchmarks).join(', ')}`)
    process.exit(2)
  }
}
for (const [name, run] of Object.entries(benchmarks)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue
  await run()
}
