import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { type BffProcess, DEFAULT_REDIRECT_URL, type LiveMemory, startBffProcess } from './bff-process.js'
import { directGraphClient } from './direct-graph-client.js'
import { startEmulatorProcess } from './emulator-process.js'
import { percentile, printColumns } from './measure.js'
import { createPostgresDatabase } from './postgres-database.js'
import { resetPeakRss } from './proc-stats.js'

const ROWS = Number(process.env.BENCH_BULK_ROWS ?? 10_000)
const RATE = Number(process.env.BENCH_BULK_RPS ?? 200)
const LOOP_SAMPLE = Number(process.env.BENCH_BULK_LOOP_SAMPLE ?? 1000)
const MEMORY_ROWS = Number(process.env.BENCH_BULK_MEMORY_ROWS ?? 100_000)
/** A tenth of MEMORY_ROWS, uploaded first to a BFF of its own: whether the upload's memory grows with the file. */
const SMALL_MEMORY_ROWS = Math.round(MEMORY_ROWS / 10)
/** How long the idle BFF is probed before the upload, for the health probe's idle figures. */
const IDLE_PROBE_MS = Number(process.env.BENCH_BULK_IDLE_PROBE_MS ?? 3000)
const RSS_SAMPLE_MS = 50
const PROBE_MS = 10
const USER = 'megan@contoso.example'
/** `job`, `memory` or both (default). */
const PARTS = (process.env.BENCH_BULK_PARTS ?? 'job,memory').split(',')

/**
 * Bulk invitations against the emulator under Graph's throttle budget of RATE requests per second (every item of
 * a `$batch` counts, so batching cannot beat the budget): the BFF's job time for ROWS rows, its ratio to the ideal
 * (rows / RATE), and its ratio to a one-at-a-time loop like the PowerShell sample (the Graph SDK inviting each row
 * in turn, retrying 429s as the SDK does), measured on LOOP_SAMPLE rows and extrapolated. Then the BFF's memory
 * while a MEMORY_ROWS-row file is uploaded and parsed (the worker off, so only the upload is measured), and how
 * its health endpoint answers meanwhile. Emulator, BFF (`node dist/cli.js`) and load generator each run in a
 * process of their own.
 */
export async function benchBulk(): Promise<void> {
  if (PARTS.includes('job')) await benchBulkJob()
  if (PARTS.includes('memory')) await benchUploadMemory()
}

async function benchBulkJob(): Promise<void> {
  const emulator = await startEmulatorProcess({ throttleBudget: { requestsPerSecond: RATE } })
  try {
    const run = Date.now().toString(36)
    const jobSeconds = await timeBulkJob(emulator.remote, run)
    await new Promise((resolve) => setTimeout(resolve, 1500)) // let the budget refill
    const loopSecondsPerRow = await timeOneAtATime(emulator.remote, run)
    const ideal = ROWS / RATE
    const loopSeconds = loopSecondsPerRow * ROWS
    console.log(
      `\nBulk invitations: ${ROWS} rows, Graph budget ${RATE} requests/s ` +
        '(emulator, BFF and load generator in separate processes)',
    )
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
    emulator.close()
  }
}

/** The portal template, `rows` data rows, in chunks of about 64 KiB. */
function csvChunks(rows: number, prefix: string): string[] {
  const chunks = [`${bulkTemplateVersionRow}\r\n${bulkTemplateHeaders.portal.join(',')}\r\n`]
  let chunk = ''
  for (let index = 0; index < rows; index += 1) {
    chunk += `${prefix}-${index}@fabrikam.example,,false,"Welcome, partner"\r\n`
    if (chunk.length > 64 * 1024) {
      chunks.push(chunk)
      chunk = ''
    }
  }
  chunks.push(chunk)
  return chunks
}

interface UploadedJob {
  id: string
  totalRows: number
  rejectedRows: unknown[]
}

/** Streams the chunks (made beforehand, so the load generator only sends) as a `text/csv` body. */
async function uploadCsv(url: string, token: string, chunks: string[]): Promise<UploadedJob> {
  const response = await fetch(`${url}/api/bulk-invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
    duplex: 'half',
  } as RequestInit)
  if (response.status !== 202) throw new Error(`Upload answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as UploadedJob
}

async function timeBulkJob(emulator: RunningEmulator, run: string): Promise<number> {
  const bff = await startBffProcess(emulator, {
    env: { ENTRA_SHARE_BULK_POLL_MS: '20', ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS: '0' },
  })
  try {
    const token = (await signInToSpa(emulator, USER)).access_token
    const chunks = csvChunks(ROWS, `bulk-bench-${run}`)
    const started = performance.now()
    const { id } = await uploadCsv(bff.url, token, chunks)
    for (;;) {
      const job = (await (
        await fetch(`${bff.url}/api/bulk-invitations/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { status: string; counts: Record<string, number> }
      if (job.status === 'completed') {
        if (job.counts.invited !== ROWS)
          throw new Error(`Only ${job.counts.invited} of ${ROWS} rows were invited.`)
        return (performance.now() - started) / 1000
      }
      if (job.status !== 'running') throw new Error(`The job is ${job.status}: ${JSON.stringify(job.counts)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } finally {
    await bff.stop()
  }
}

/** The PowerShell sample's shape: New-MgInvitation per row, in turn, with the SDK's own 429 retries. */
async function timeOneAtATime(emulator: RunningEmulator, run: string): Promise<number> {
  const token = (await signInToSpa(emulator, USER)).access_token
  const graph = directGraphClient(emulator, token)
  const started = performance.now()
  for (let index = 0; index < LOOP_SAMPLE; index += 1) {
    await graph.api('/invitations').post({
      invitedUserEmailAddress: `loop-bench-${run}-${index}@fabrikam.example`,
      inviteRedirectUrl: DEFAULT_REDIRECT_URL,
      sendInvitationMessage: false,
    })
  }
  return (performance.now() - started) / 1000 / LOOP_SAMPLE
}

/**
 * The BFF's resident set (VmRSS) before, during and after the upload of a MEMORY_ROWS-row file, sampled every
 * RSS_SAMPLE_MS, and its peak (VmHWM, reset just before the upload where Linux lets us); meanwhile `GET /healthz`
 * every PROBE_MS, against the same probe on the idle BFF just before. The worker is off
 * (`ENTRA_SHARE_BULK_WORKER=false`), so only reading and storing the file is measured.
 */
async function benchUploadMemory(): Promise<void> {
  const emulator = await startEmulatorProcess()
  try {
    const stores: [string, UploadFigures | string][] = [['PGlite', await measureUpload(emulator.remote, {})]]
    const postgres = await createPostgresDatabase()
    if (typeof postgres === 'string') stores.push(['PostgreSQL', postgres])
    else {
      try {
        stores.push(['PostgreSQL', await measureUpload(emulator.remote, { DATABASE_URL: postgres.url })])
      } finally {
        await postgres.drop()
      }
    }
    printUploadFigures(stores)
  } finally {
    emulator.close()
  }
}

/** One store's upload of MEMORY_ROWS rows: the BFF's RSS and its health probe, before and during. */
interface UploadFigures {
  fileMb: number
  uploadSeconds: number
  rejected: number
  samples: number
  beforeMb: number
  peakMb: number
  /** VmHWM, reset before the upload; `undefined` where Linux does not let us reset it. */
  hwmMb: number | undefined
  atAnswerMb: number
  settledMb: number
  /** A full collection in the BFF before the upload (before `beforeMb` is read) and after `settledMb`. */
  liveBefore: LiveMemory
  liveAfter: LiveMemory
  /** A second upload of as many rows, after the first: RSS before it, its sampled peak, and 2 s after its 202. */
  again: { beforeMb: number; peakMb: number; settledMb: number }
  /** SMALL_MEMORY_ROWS uploaded to a BFF of its own, as the first upload: sampled peak − before. */
  smallGrowthMb: number
  idle: ProbeFigures
  during: ProbeFigures
}

/** A BFF for the memory figures: its bulk worker off (only the upload is measured), files of MEMORY_ROWS allowed. */
function startUploadBff(emulator: RunningEmulator, storeEnv: Record<string, string>): Promise<BffProcess> {
  return startBffProcess(emulator, {
    env: {
      ENTRA_SHARE_BULK_WORKER: 'false',
      ENTRA_SHARE_BULK_MAX_ROWS: String(MEMORY_ROWS),
      ENTRA_SHARE_BULK_MAX_FILE_BYTES: String(256 * 1024 * 1024),
      ...storeEnv,
    },
    heapProbe: true,
  })
}

/**
 * A small file first, so that the code the upload path loads on first use (and the worker thread's start) is not
 * counted as the measured upload's; then a second for the RSS to settle.
 */
async function warmUp(bff: BffProcess, token: string, run: string): Promise<void> {
  await uploadCsv(bff.url, token, csvChunks(100, `memory-warm-${run}`))
  await sleep(1000)
}

/** The first upload of SMALL_MEMORY_ROWS rows to a BFF of its own, after the warm-up: its sampled peak − before. */
async function measureSmallUpload(
  emulator: RunningEmulator,
  storeEnv: Record<string, string>,
): Promise<number> {
  const bff = await startUploadBff(emulator, storeEnv)
  try {
    const token = (await signInToSpa(emulator, USER)).access_token
    const run = Date.now().toString(36)
    await warmUp(bff, token, run)
    const { samples } = await sampledUpload(
      bff,
      token,
      csvChunks(SMALL_MEMORY_ROWS, `memory-small-${run}`),
      SMALL_MEMORY_ROWS,
    )
    return Math.max(...samples) - (samples[0] as number)
  } finally {
    await bff.stop()
  }
}

async function measureUpload(
  emulator: RunningEmulator,
  storeEnv: Record<string, string>,
): Promise<UploadFigures> {
  const smallGrowthMb = await measureSmallUpload(emulator, storeEnv)
  const bff = await startUploadBff(emulator, storeEnv)
  try {
    const token = (await signInToSpa(emulator, USER)).access_token
    const run = Date.now().toString(36)
    await warmUp(bff, token, run)
    const chunks = csvChunks(MEMORY_ROWS, `memory-${run}`)
    const fileMb = Buffer.byteLength(chunks.join('')) / 1e6

    const liveBefore = await bff.liveMemory()
    const idle = await probeHealth(bff.url, () => sleep(IDLE_PROBE_MS))
    const before = bff.memoryMb().rssMb
    const peakReset = resetPeakRss(bff.pid)
    const started = performance.now()
    const upload = sampledUpload(bff, token, chunks, MEMORY_ROWS)
    const during = await probeHealth(bff.url, async () => {
      await upload
    })
    const { job, samples } = await upload
    const uploadSeconds = (performance.now() - started) / 1000
    const { rssMb: atAnswer, peakMb: hwm } = bff.memoryMb()
    await sleep(2000)
    const settledMb = bff.memoryMb().rssMb
    const liveAfter = await bff.liveMemory()
    // The same upload again (other addresses): whether a later upload grows the BFF further, or reuses what the first
    // one took.
    const second = await sampledUpload(bff, token, csvChunks(MEMORY_ROWS, `memory-again-${run}`), MEMORY_ROWS)
    await sleep(2000)
    return {
      fileMb,
      uploadSeconds,
      rejected: job.rejectedRows.length,
      samples: samples.length,
      beforeMb: before,
      peakMb: Math.max(...samples),
      hwmMb: peakReset ? hwm : undefined,
      atAnswerMb: atAnswer,
      settledMb,
      liveBefore,
      liveAfter,
      again: {
        beforeMb: second.samples[0] as number,
        peakMb: Math.max(...second.samples),
        settledMb: bff.memoryMb().rssMb,
      },
      smallGrowthMb,
      idle,
      during,
    }
  } finally {
    await bff.stop()
  }
}

/**
 * Uploads `chunks` to the BFF, its RSS sampled every RSS_SAMPLE_MS from just before to the 202; the job must hold
 * `rows` rows.
 */
async function sampledUpload(
  bff: BffProcess,
  token: string,
  chunks: string[],
  rows: number,
): Promise<{ job: UploadedJob; samples: number[] }> {
  const samples = [bff.memoryMb().rssMb]
  const sampler = setInterval(() => samples.push(bff.memoryMb().rssMb), RSS_SAMPLE_MS)
  try {
    const job = await uploadCsv(bff.url, token, chunks)
    samples.push(bff.memoryMb().rssMb)
    if (job.totalRows !== rows)
      throw new Error(`The upload made a job of ${job.totalRows} rows, not ${rows}.`)
    return { job, samples }
  } finally {
    clearInterval(sampler)
  }
}

function printUploadFigures(stores: [string, UploadFigures | string][]): void {
  const measured = stores.filter((entry): entry is [string, UploadFigures] => typeof entry[1] !== 'string')
  const first = measured[0]?.[1]
  console.log(
    `\nBulk upload memory: ${MEMORY_ROWS.toLocaleString('en')} rows (${first?.fileMb.toFixed(1)} MB CSV, streamed as text/csv), ` +
      'the BFF in its own process with its worker off (ENTRA_SHARE_BULK_WORKER=false), on each store',
  )
  for (const [store, figures] of stores) {
    if (typeof figures === 'string') console.log(`  ${store}: ${figures}`)
    else
      console.log(
        `  ${store}: ${figures.uploadSeconds.toFixed(1)} s to the 202, ${figures.rejected} rows rejected, ${figures.samples} RSS samples`,
      )
  }
  const mb = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(0))
  const mb1 = (value: number) => value.toFixed(1)
  const column = (pick: (figures: UploadFigures) => string) => measured.map(([, figures]) => pick(figures))
  printColumns([
    [`BFF RSS (VmRSS every ${RSS_SAMPLE_MS} ms; MB = 10^6 bytes)`, ...measured.map(([store]) => store)],
    ['before the upload', ...column((f) => mb(f.beforeMb))],
    ['peak during the upload', ...column((f) => mb(f.peakMb))],
    ['peak (VmHWM, reset before the upload)', ...column((f) => mb(f.hwmMb))],
    ['at the 202', ...column((f) => mb(f.atAnswerMb))],
    ['2 s after', ...column((f) => mb(f.settledMb))],
    ['delta: sampled peak − before', ...column((f) => `+${mb(f.peakMb - f.beforeMb)}`)],
    ['after a full collection in the BFF (main thread), before → after the upload:', ...column(() => '')],
    ['  live V8 heap', ...column((f) => `${mb1(f.liveBefore.heapUsedMb)} → ${mb1(f.liveAfter.heapUsedMb)}`)],
    [
      '  live ArrayBuffers',
      ...column((f) => `${mb1(f.liveBefore.arrayBuffersMb)} → ${mb1(f.liveAfter.arrayBuffersMb)}`),
    ],
    ['  RSS', ...column((f) => `${mb(f.liveBefore.rssMb)} → ${mb(f.liveAfter.rssMb)}`)],
    ['a second upload of as many rows:', ...column(() => '')],
    [
      '  before → peak → 2 s after',
      ...column((f) => `${mb(f.again.beforeMb)} → ${mb(f.again.peakMb)} → ${mb(f.again.settledMb)}`),
    ],
    ['  delta: sampled peak − before', ...column((f) => `+${mb(f.again.peakMb - f.again.beforeMb)}`)],
    [
      'growth over both uploads: peak − before the first',
      ...column((f) => `+${mb(Math.max(f.peakMb, f.again.peakMb) - f.beforeMb)}`),
    ],
    [
      `the first upload of ${SMALL_MEMORY_ROWS.toLocaleString('en')} rows (a BFF of its own):`,
      ...column(() => ''),
    ],
    ['  delta: sampled peak − before', ...column((f) => `+${mb(f.smallGrowthMb)}`)],
    [
      `  ${MEMORY_ROWS.toLocaleString('en')} rows' delta − this one's (10× the rows)`,
      ...column(
        (f) =>
          `${f.peakMb - f.beforeMb - f.smallGrowthMb >= 0 ? '+' : ''}${mb(f.peakMb - f.beforeMb - f.smallGrowthMb)}`,
      ),
    ],
  ])
  for (const [store, { idle, during }] of measured) {
    printColumns([
      [
        `${store}: GET /healthz every ${PROBE_MS} ms (one in flight)`,
        'probes',
        'p50 ms',
        'p99 ms',
        'max ms',
        'load generator loop delay p99 / max ms',
      ],
      probeRow(`idle (${IDLE_PROBE_MS / 1000} s before the upload)`, idle),
      probeRow('during the upload', during),
      [
        'during / idle',
        '',
        ratio(percentile(during.latencies, 50), percentile(idle.latencies, 50)),
        ratio(percentile(during.latencies, 99), percentile(idle.latencies, 99)),
        ratio(during.latencies.at(-1) ?? 0, idle.latencies.at(-1) ?? 0),
        '',
      ],
    ])
  }
  console.log(
    "  The probe's time includes any delay of the load generator's own event loop (last column: this process's, " +
      'in the same window).',
  )
}

interface ProbeFigures {
  /** Each probe's time, ascending; a failed probe counts as Infinity. */
  latencies: number[]
  /** This process's event-loop delay in the same window (ms): what it may have added to the probes. */
  ownLoopDelay: { p99Ms: number; maxMs: number }
}

/**
 * `GET /healthz` on `url` every PROBE_MS until `during` settles, one request in flight (a probe that takes longer
 * delays the next, as a health checker's would).
 */
async function probeHealth(url: string, during: () => Promise<void>): Promise<ProbeFigures> {
  const latencies: number[] = []
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  let done = false
  const probing = (async () => {
    while (!done) {
      const started = performance.now()
      try {
        const response = await fetch(`${url}/healthz`)
        await response.arrayBuffer()
        latencies.push(response.ok ? performance.now() - started : Number.POSITIVE_INFINITY)
      } catch {
        latencies.push(Number.POSITIVE_INFINITY)
      }
      await sleep(Math.max(0, PROBE_MS - (performance.now() - started)))
    }
  })()
  try {
    await during()
  } finally {
    done = true
    await probing
    loop.disable()
  }
  return {
    latencies: latencies.sort((a, b) => a - b),
    ownLoopDelay: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 },
  }
}

function probeRow(label: string, { latencies, ownLoopDelay }: ProbeFigures): string[] {
  return [
    label,
    String(latencies.length),
    percentile(latencies, 50).toFixed(1),
    percentile(latencies, 99).toFixed(1),
    (latencies.at(-1) ?? 0).toFixed(1),
    `${ownLoopDelay.p99Ms.toFixed(1)} / ${ownLoopDelay.maxMs.toFixed(1)}`,
  ]
}

function ratio(value: number, base: number): string {
  return base === 0 ? 'n/a' : `${(value / base).toFixed(2)}×`
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
