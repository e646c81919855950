import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { buildApp } from '@entra-share/bff'
import { configForEmulator } from '@entra-share/bff/testing'
import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import { type RunningEmulator, startEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { directGraphClient } from './direct-graph-client.js'
import { printColumns } from './measure.js'

const ROWS = Number(process.env.BENCH_BULK_ROWS ?? 10_000)
const RATE = Number(process.env.BENCH_BULK_RPS ?? 200)
const LOOP_SAMPLE = Number(process.env.BENCH_BULK_LOOP_SAMPLE ?? 1000)
const MEMORY_ROWS = Number(process.env.BENCH_BULK_MEMORY_ROWS ?? 100_000)
const USER = 'megan@contoso.example'
/** `job`, `memory` or both (default). */
const PARTS = (process.env.BENCH_BULK_PARTS ?? 'job,memory').split(',')

// A forced collection before each memory sample measures live memory, not garbage V8 has not collected yet.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/**
 * Bulk invitations against the emulator under Graph's throttle budget of RATE requests per second (every item of
 * a `$batch` counts, so batching cannot beat the budget): the BFF's job time for ROWS rows, its ratio to the ideal
 * (rows / RATE), and its ratio to a one-at-a-time loop like the PowerShell sample (the Graph SDK inviting each row
 * in turn, retrying 429s as the SDK does), measured on LOOP_SAMPLE rows and extrapolated. Then the BFF's peak memory
 * while a MEMORY_ROWS-row file is uploaded and parsed (the worker off, so only the upload is measured).
 */
export async function benchBulk(): Promise<void> {
  if (PARTS.includes('job')) await benchBulkJob()
  if (PARTS.includes('memory')) await benchUploadMemory()
}

async function benchBulkJob(): Promise<void> {
  const emulator = await startEmulator({
    dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA,
    faults: { throttleBudget: { requestsPerSecond: RATE } },
  })
  try {
    const run = Date.now().toString(36)
    const jobSeconds = await timeBulkJob(emulator, run)
    await new Promise((resolve) => setTimeout(resolve, 1500)) // let the budget refill
    const loopSecondsPerRow = await timeOneAtATime(emulator, run)
    const ideal = ROWS / RATE
    const loopSeconds = loopSecondsPerRow * ROWS
    console.log(`\nBulk invitations: ${ROWS} rows, Graph budget ${RATE} requests/s (emulator)`)
    printColumns([
      ['', 'seconds', 'ratio to ideal'],
      ['ideal (rows / budget)', ideal.toFixed(1), '1.00'],
      ['BFF bulk job ($batch of 20)', jobSeconds.toFixed(1), (jobSeconds / ideal).toFixed(2)],
      [
        `one-at-a-time loop (measured on ${LOOP_SAMPLE} rows, ×${(ROWS / LOOP_SAMPLE).toFixed(0)})`,
        loopSeconds.toFixed(1),
        (loopSeconds / ideal).toFixed(2),
      ],
    ])
    console.log(`BFF job vs one-at-a-time loop: ${(loopSeconds / jobSeconds).toFixed(2)}× faster`)
  } finally {
    await emulator.close()
  }
}

async function startBff(emulator: RunningEmulator, bulk: Record<string, unknown>) {
  const config = configForEmulator(emulator, {
    dataDir: mkdtempSync(join(tmpdir(), 'entra-share-bench-bulk-')),
    rateLimits: { perUserPerMinute: 1_000_000, perTenantPerMinute: 1_000_000 },
    readRateLimitPerUserPerMinute: 1_000_000,
    followUpRetryIntervalSeconds: 0,
  })
  const app = await buildApp(config, { bulk })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return { app, url, config }
}

function* csvLines(rows: number, prefix: string): Generator<string> {
  yield `${bulkTemplateVersionRow}\r\n${bulkTemplateHeaders.portal.join(',')}\r\n`
  let chunk = ''
  for (let index = 0; index < rows; index += 1) {
    chunk += `${prefix}-${index}@fabrikam.example,,false,"Welcome, partner"\r\n`
    if (chunk.length > 64 * 1024) {
      yield chunk
      chunk = ''
    }
  }
  yield chunk
}

async function uploadCsv(url: string, token: string, rows: number, prefix: string): Promise<string> {
  const response = await fetch(`${url}/api/bulk-invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(Readable.from(csvLines(rows, prefix))) as ReadableStream,
    duplex: 'half',
  } as RequestInit)
  if (response.status !== 202) throw new Error(`Upload answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { id: string }).id
}

async function timeBulkJob(emulator: RunningEmulator, run: string): Promise<number> {
  const { app, url } = await startBff(emulator, { pollIntervalMs: 20 })
  try {
    const token = (await signInToSpa(emulator, USER)).access_token
    const started = performance.now()
    const id = await uploadCsv(url, token, ROWS, `bulk-bench-${run}`)
    for (;;) {
      const job = (await (
        await fetch(`${url}/api/bulk-invitations/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { status: string; counts: Record<string, number> }
      if (job.status === 'completed') {
        if (job.counts.invited !== ROWS)
          throw new Error(`Only ${job.counts.invited} of ${ROWS} rows were invited.`)
        return (performance.now() - started) / 1000
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } finally {
    await app.close()
  }
}

/** The PowerShell sample's shape: New-MgInvitation per row, in turn, with the SDK's own 429 retries. */
async function timeOneAtATime(emulator: RunningEmulator, run: string): Promise<number> {
  const token = (await signInToSpa(emulator, USER)).access_token
  const config = configForEmulator(emulator)
  const graph = directGraphClient(emulator, token)
  const started = performance.now()
  for (let index = 0; index < LOOP_SAMPLE; index += 1) {
    await graph.api('/invitations').post({
      invitedUserEmailAddress: `loop-bench-${run}-${index}@fabrikam.example`,
      inviteRedirectUrl: config.defaultRedirectUrl,
      sendInvitationMessage: false,
    })
  }
  return (performance.now() - started) / 1000 / LOOP_SAMPLE
}

/** Peak RSS and heap above the idle baseline while a file is uploaded and parsed into a job. */
async function benchUploadMemory(): Promise<void> {
  const emulator = await startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA })
  const { app, url } = await startBff(emulator, { workerEnabled: false, maxFileBytes: 256 * 1024 * 1024 })
  try {
    const token = (await signInToSpa(emulator, USER)).access_token
    const rowsTried = [MEMORY_ROWS / 10, MEMORY_ROWS]
    const lines: string[][] = [['rows', 'file MiB', 'seconds', 'peak RSS +MiB', 'peak live heap +MiB']]
    for (const rows of rowsTried) {
      collectGarbage()
      const base = process.memoryUsage()
      let peakRss = base.rss
      let peakHeap = base.heapUsed
      const sampler = setInterval(() => {
        collectGarbage()
        const now = process.memoryUsage()
        peakRss = Math.max(peakRss, now.rss)
        peakHeap = Math.max(peakHeap, now.heapUsed)
      }, 200)
      const started = performance.now()
      await uploadCsv(url, token, rows, `memory-${rows}-${Date.now().toString(36)}`)
      const seconds = (performance.now() - started) / 1000
      clearInterval(sampler)
      const fileMiB = [...csvLines(rows, 'memory-x')].join('').length / 2 ** 20
      lines.push([
        String(rows),
        fileMiB.toFixed(1),
        seconds.toFixed(1),
        ((peakRss - base.rss) / 2 ** 20).toFixed(1),
        ((peakHeap - base.heapUsed) / 2 ** 20).toFixed(1),
      ])
    }
    console.log(
      '\nBulk upload memory (streamed parse into the database; BFF, client and emulator in one process; live heap sampled after a forced GC every 200 ms)',
    )
    printColumns(lines)
  } finally {
    await app.close()
    await emulator.close()
  }
}
