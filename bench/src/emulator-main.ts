/**
 * The emulator in a process of its own, so that what a benchmark measures does not share its event loop. Forked by
 * `startEmulatorProcess` (emulator-process.ts) with the fault configuration and a group id as its arguments; it
 * reports `{ ready: { url, settings } }` over IPC, then answers each `{ stats: prefix }` with what Graph saw of the
 * addresses starting with `prefix`, each `{ tokenRequests: grantType }` with how many token requests of that grant
 * type it has answered since it started, and exits when its parent disconnects.
 */
import { startEmulator } from '@entra-share/emulator'

export interface EmulatorStats {
  /** Graph requests the throttle budget let through, every `$batch` item counted (all callers, since start). */
  admitted: number
  /** `429`s the budget answered (all callers, since start). */
  throttled: number
  /** Invitations made for the addresses. */
  invitations: number
  /** Addresses invited more than once. */
  invitedTwice: number
  /** Guests with those addresses who are in the group `groupId`, and who have a usage location. */
  inGroup: number
  withUsageLocation: number
  /**
   * Per whole second since the emulator started (index = second): requests the budget let through, and `429`s it
   * answered. Where a job's time went, second by second.
   */
  admittedPerSecond: number[]
  throttledPerSecond: number[]
  /** Seconds since the emulator started, when these stats were taken (the seconds above count from the same start). */
  secondsSinceStart: number
}

const faults = JSON.parse(process.argv[2] ?? '{}') as object
const groupId = process.argv[3] ?? ''
const emulator = await startEmulator({ port: 0, dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA, faults })
const { directory, faults: engine } = emulator.context

// The emulator counts the requests its budget refused; the benchmark needs the ones it let through too.
let admitted = 0
const startedAt = performance.now()
const admittedPerSecond: number[] = []
const throttledPerSecond: number[] = []
const spend = engine.spendBudget.bind(engine)
engine.spendBudget = (tenantId, appId) => {
  const decision = spend(tenantId, appId)
  const second = Math.floor((performance.now() - startedAt) / 1000)
  const counts = decision.allowed ? admittedPerSecond : throttledPerSecond
  for (const each of [admittedPerSecond, throttledPerSecond]) while (each.length <= second) each.push(0)
  counts[second] = (counts[second] ?? 0) + 1
  if (decision.allowed) admitted += 1
  return decision
}

function stats(prefix: string): EmulatorStats {
  const perAddress = new Map<string, number>()
  for (const invitation of directory.invitations.values()) {
    const address = invitation.invitedUserEmailAddress.toLowerCase()
    if (address.startsWith(prefix)) perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
  }
  const tenant = directory.tenant(emulator.settings.tenantId)
  const members = tenant?.groups.get(groupId)?.members ?? new Set<string>()
  let inGroup = 0
  let withUsageLocation = 0
  for (const user of tenant?.users.values() ?? []) {
    if (!user.mail?.toLowerCase().startsWith(prefix)) continue
    if (members.has(user.id)) inGroup += 1
    if (user.usageLocation) withUsageLocation += 1
  }
  return {
    admitted,
    throttled: engine.injected.throttleBudget,
    invitations: [...perAddress.values()].reduce((sum, count) => sum + count, 0),
    invitedTwice: [...perAddress.values()].filter((count) => count > 1).length,
    inGroup,
    withUsageLocation,
    admittedPerSecond,
    throttledPerSecond,
    secondsSinceStart: (performance.now() - startedAt) / 1000,
  }
}

/** Token endpoint requests of `grantType`, every tenant and client counted. */
function tokenRequests(grantType: string): number {
  return directory
    .tokenRequests()
    .filter((count) => count.grantType === grantType)
    .reduce((sum, count) => sum + count.count, 0)
}

process.on('message', (message: { stats?: string; tokenRequests?: string }) => {
  if (message.stats !== undefined) process.send?.({ stats: stats(message.stats.toLowerCase()) })
  if (message.tokenRequests !== undefined)
    process.send?.({ tokenRequests: tokenRequests(message.tokenRequests) })
})
process.once('disconnect', () => void emulator.close().finally(() => process.exit(0)))
process.send?.({ ready: { url: emulator.url, settings: emulator.settings } })
