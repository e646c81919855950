import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import { defaultSeedIds, type RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { DEFAULT_REDIRECT_URL, startBffProcess } from './bff-process.js'
import { appGraphClient, directGraphClient } from './direct-graph-client.js'
import { type EmulatorProcess, type EmulatorStats, startEmulatorProcess } from './emulator-process.js'
import { printColumns } from './measure.js'

const ROWS = Number(process.env.BENCH_THROTTLE_ROWS ?? 10_000)
const RATE = Number(process.env.BENCH_THROTTLE_RPS ?? 200)
const LOOP_ROWS = Math.min(ROWS, Number(process.env.BENCH_THROTTLE_LOOP_ROWS ?? 100))
/** The BFF's `ENTRA_SHARE_BULK_CONCURRENCY`; unset: its default. */
const CONCURRENCY = process.env.BENCH_THROTTLE_CONCURRENCY
const LATENCY = { ms: 150, jitterMs: 50 }
/** Identity and access counts requests per 10 s (https://learn.microsoft.com/graph/throttling-limits). */
const WINDOW_SECONDS = Number(process.env.BENCH_THROTTLE_WINDOW_SECONDS ?? 10)
/** Graph requests per row: the invitation, then the preset's usage location (`PATCH`) and group (`$ref`). */
const REQUESTS_PER_ROW = 3
const USER = 'megan@contoso.example'
const GROUP_ID = defaultSeedIds.apolloGroupId

/**
 * Issue 16's bulk benchmark at the throttle limit, emulator, BFF (`node dist/cli.js`, environment variables only)
 * and this load generator each in its own process: ROWS rows with a preset (usage location and a group, so every
 * row costs REQUESTS_PER_ROW Graph requests) under a budget of RATE requests per second and Graph-like latency
 * (LATENCY on every Graph request). Prints the job's time against the ideal the budget sets (every request the
 * budget counted during the job, follow-ups included, over RATE), against a one-at-a-time loop making the same
 * requests under the same latency (measured on LOOP_ROWS rows and extrapolated), and the 429s received per 1,000
 * rows. Figures only; nothing is asserted (targets: ≤ 1.05× the ideal, ≥ 10× faster than the loop).
 */
export async function benchBulkThrottle(): Promise<void> {
  const faults = {
    seed: 7,
    throttleBudget: { requestsPerSecond: RATE, windowSeconds: WINDOW_SECONDS },
    latency: [LATENCY],
  }
  const emulator = await startEmulatorProcess(faults, GROUP_ID)
  const dataDir = await mkdtemp(join(tmpdir(), 'entra-share-bench-throttle-'))
  try {
    const run = Date.now().toString(36)
    const job = await timeBulkJob(emulator, dataDir, `throttle-${run}-`)
    const loopPerRow = await timeOneAtATime(emulator.remote, `loop-${run}-`)
    const ideal = (job.after.admitted - job.before.admitted) / RATE
    const throttled = job.after.throttled - job.before.throttled
    const loopSeconds = loopPerRow * ROWS
    console.log(
      `\nBulk invitations at the throttle limit: ${ROWS} rows with a preset (${REQUESTS_PER_ROW} Graph requests a row), ` +
        `budget ${RATE} requests/s counted over ${WINDOW_SECONDS} s, Graph latency ${LATENCY.ms} ± ${LATENCY.jitterMs} ms ` +
        `(emulator, BFF and load generator in separate processes; BFF concurrency ${CONCURRENCY ?? 'default'})`,
    )
    printColumns([
      ['', 'seconds', 'ratio to ideal'],
      [
        `ideal: ${job.after.admitted - job.before.admitted} requests counted by the budget / ${RATE}`,
        ideal.toFixed(1),
        '1.00',
      ],
      ['BFF: upload to every row invited', job.invitedSeconds.toFixed(1), ratio(job.invitedSeconds, ideal)],
      ['BFF: upload to every follow-up done', job.doneSeconds.toFixed(1), ratio(job.doneSeconds, ideal)],
      ['  of which the upload itself', job.uploadSeconds.toFixed(1), ''],
      [
        `one-at-a-time loop (measured on ${LOOP_ROWS} rows, ×${(ROWS / LOOP_ROWS).toFixed(0)})`,
        loopSeconds.toFixed(0),
        ratio(loopSeconds, ideal),
      ],
    ])
    console.log(`  BFF job time / ideal: ${ratio(job.doneSeconds, ideal)}× (target ≤ 1.05)`)
    console.log(
      `  BFF job vs one-at-a-time loop: ${ratio(loopSeconds, job.doneSeconds)}× faster (target ≥ 10)`,
    )
    console.log(`  429s received: ${throttled} = ${((throttled / ROWS) * 1000).toFixed(1)} per 1,000 rows`)
    const { cpu } = job
    console.log(
      `  CPU during the job: BFF ${cpu.bff.toFixed(1)} s (${((cpu.bff / ROWS) * 1000).toFixed(2)} ms a row), ` +
        `emulator ${cpu.emulator.toFixed(1)} s, load generator ${cpu.loadGenerator.toFixed(1)} s`,
    )
    console.log(
      `  check: ${job.after.invitations} invitations for ${ROWS} rows, ${job.after.invitedTwice} addresses invited ` +
        `twice, ${job.after.inGroup} in the group, ${job.after.withUsageLocation} with a usage location`,
    )
    printTimeLost(job.before, job.after)
  } finally {
    emulator.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

interface JobFigures {
  uploadSeconds: number
  invitedSeconds: number
  doneSeconds: number
  /** CPU seconds each process used from the upload until every follow-up was done. */
  cpu: { bff: number; emulator: number; loadGenerator: number }
  before: EmulatorStats
  after: EmulatorStats
}

async function timeBulkJob(emulator: EmulatorProcess, dataDir: string, prefix: string): Promise<JobFigures> {
  const presetsFile = join(dataDir, 'presets.json')
  await writeFile(
    presetsFile,
    JSON.stringify([
      { id: 'partners', label: 'Partners', groupIds: [GROUP_ID], attributes: { usageLocation: 'GB' } },
    ]),
  )
  const bff = await startBffProcess(emulator.remote, {
    env: {
      LOG_LEVEL: 'error',
      ENTRA_SHARE_DATA_DIR: join(dataDir, 'bff'),
      ENTRA_SHARE_PRESETS_FILE: presetsFile,
      ...(CONCURRENCY ? { ENTRA_SHARE_BULK_CONCURRENCY: CONCURRENCY } : {}),
    },
  })
  try {
    const token = (await signInToSpa(emulator.remote, USER)).access_token
    const before = await emulator.stats(prefix)
    const cpuBefore = { bff: bff.cpuMs(), emulator: emulator.cpuMs(), self: process.cpuUsage() }
    const started = performance.now()
    const id = await uploadCsv(bff.url, token, prefix)
    const uploadSeconds = (performance.now() - started) / 1000
    for (;;) {
      const response = await fetch(`${bff.url}/api/bulk-invitations/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      const job = (await response.json()) as { status: string; counts: Record<string, number> }
      if (job.status === 'completed') {
        if (job.counts.invited !== ROWS)
          throw new Error(`${job.counts.invited} of ${ROWS} rows were invited.`)
        break
      }
      if (job.status !== 'running') throw new Error(`The job is ${job.status}: ${JSON.stringify(job.counts)}`)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    const invitedSeconds = (performance.now() - started) / 1000
    // The last batches' follow-ups land just after their rows: wait until every guest has both.
    let after = await emulator.stats(prefix)
    const deadline = Date.now() + 120_000
    while ((after.inGroup < ROWS || after.withUsageLocation < ROWS) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      after = await emulator.stats(prefix)
    }
    const doneSeconds = (performance.now() - started) / 1000
    const self = process.cpuUsage(cpuBefore.self)
    const cpu = {
      bff: (bff.cpuMs() - cpuBefore.bff) / 1000,
      emulator: (emulator.cpuMs() - cpuBefore.emulator) / 1000,
      loadGenerator: (self.user + self.system) / 1e6,
    }
    return { uploadSeconds, invitedSeconds, doneSeconds, cpu, before, after }
  } finally {
    await bff.stop()
  }
}

/** The extended template: every row names the preset, so the BFF sets its usage location and group. */
function* csvChunks(prefix: string): Generator<string> {
  const header = [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended]
  yield `${bulkTemplateVersionRow}\r\n${header.map((cell) => `"${cell}"`).join(',')}\r\n`
  let chunk = ''
  for (let index = 0; index < ROWS; index += 1) {
    chunk += `${prefix}${index}@fabrikam.example,,false,,,partners,\r\n`
    if (chunk.length > 64 * 1024) {
      yield chunk
      chunk = ''
    }
  }
  yield chunk
}

async function uploadCsv(url: string, token: string, prefix: string): Promise<string> {
  const response = await fetch(`${url}/api/bulk-invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(Readable.from(csvChunks(prefix))) as ReadableStream,
    duplex: 'half',
  } as RequestInit)
  if (response.status !== 202) throw new Error(`Upload answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { id: string }).id
}

/**
 * Seconds per row of the loop a script without the BFF would run: per row, the invitation On-Behalf-Of the user,
 * then the usage location and the group as the app, each request awaited before the next (the SDK retries 429s).
 */
async function timeOneAtATime(emulator: RunningEmulator, prefix: string): Promise<number> {
  const user = directGraphClient(emulator, (await signInToSpa(emulator, USER)).access_token)
  const app = appGraphClient(emulator)
  const inviteRow = async (email: string) => {
    const invitation = (await user.api('/invitations').post({
      invitedUserEmailAddress: email,
      inviteRedirectUrl: DEFAULT_REDIRECT_URL,
      sendInvitationMessage: false,
    })) as { invitedUser: { id: string } }
    const userId = invitation.invitedUser.id
    await app.api(`/users/${userId}`).patch({ usageLocation: 'GB' })
    await app
      .api(`/groups/${GROUP_ID}/members/$ref`)
      .post({ '@odata.id': `${emulator.settings.graphBaseUrl}/directoryObjects/${userId}` })
  }
  // Tokens are fetched once, outside the measurement.
  await inviteRow(`${prefix}warm@fabrikam.example`)
  const started = performance.now()
  for (let index = 0; index < LOOP_ROWS; index += 1) await inviteRow(`${prefix}${index}@fabrikam.example`)
  return (performance.now() - started) / 1000 / LOOP_ROWS
}

/**
 * Where the job's time over the ideal went, from the budget's own count per second: the start (until a second first
 * admits 90 % of RATE), the end (after the last such second), and between them the seconds with a `429` and the
 * rest (pacing under the budget). Each second's loss is its unused budget, (RATE − admitted) / RATE seconds:
 * negative where the window let more through, as it does at first (it starts empty).
 */
function printTimeLost(before: EmulatorStats, after: EmulatorStats): void {
  const first = Math.floor(before.secondsSinceStart)
  const last = Math.ceil(after.secondsSinceStart)
  const seconds = Array.from({ length: last - first }, (_, index) => ({
    admitted: after.admittedPerSecond[first + index] ?? 0,
    throttled: after.throttledPerSecond[first + index] ?? 0,
  }))
  const full = (second: { admitted: number }) => second.admitted >= 0.9 * RATE
  const rampEnd = seconds.findIndex(full)
  const tailStart = seconds.length - [...seconds].reverse().findIndex(full)
  const lost = (from: number, to: number, keep: (second: { throttled: number }) => boolean = () => true) =>
    seconds
      .slice(from, to)
      .filter(keep)
      .reduce((sum, second) => sum + (RATE - second.admitted) / RATE, 0)
  if (process.env.BENCH_THROTTLE_TIMELINE) {
    const line = (pick: (second: { admitted: number; throttled: number }) => number) =>
      seconds.map(pick).join(' ')
    console.log(`  admitted per second: ${line((second) => second.admitted)}`)
    console.log(`  429s per second: ${line((second) => second.throttled)}`)
  }
  if (rampEnd < 0) {
    console.log('  time lost: no second reached 90 % of the budget')
    return
  }
  const middle = seconds.slice(rampEnd, tailStart)
  const withThrottle = middle.filter((second) => second.throttled > 0).length
  const middleRate = middle.reduce((sum, second) => sum + second.admitted, 0) / Math.max(1, middle.length)
  console.log(
    `  time lost to the budget left unused (s): start ${lost(0, rampEnd).toFixed(1)} (${rampEnd} s to 90 % of it), ` +
      `${withThrottle} seconds with a 429 ${lost(rampEnd, tailStart, (second) => second.throttled > 0).toFixed(1)}, ` +
      `other pacing ${lost(rampEnd, tailStart, (second) => second.throttled === 0).toFixed(1)} ` +
      `(${((middleRate / RATE) * 100).toFixed(1)} % of the budget used on average), ` +
      `end ${lost(tailStart, seconds.length).toFixed(1)} (${seconds.length - tailStart} s)`,
  )
}

function ratio(value: number, base: number): string {
  return (value / base).toFixed(2)
}
