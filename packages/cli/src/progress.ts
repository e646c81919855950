import type { BulkJob } from '@entra-share/contracts'
import { SingleBar } from 'cli-progress'

/** Shows a running job: a redrawn bar on a terminal, periodic plain lines in a log or pipe. */
export interface ProgressView {
  update(job: BulkJob): void
  /** Draws the last state and releases the line. */
  stop(): void
}

/** Where the view writes: a TTY gets the bar. */
export interface ProgressOutput {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

// In a log, one line per change would flood it for a 10,000-row job; one every few seconds is enough to follow.
const PLAIN_LINE_EVERY_MS = 2000

/**
 * A progress view for `output`, with counts by status, rows per second and the BFF's ETA.
 *
 * @example
 * const view = createProgressView(process.stdout, job.totalRows)
 * view.update(await api.job(id))
 */
export function createProgressView(output: ProgressOutput, totalRows: number, now = Date.now): ProgressView {
  return output.isTTY ? barView(output, totalRows) : plainView(output, now)
}

/** Rows done (whatever their outcome) of a job. */
export function rowsDone(job: BulkJob): number {
  return job.counts.invited + job.counts.failed + job.counts.cancelled
}

/** `42 s`, `3 min 05 s`, `1 h 02 min`; `—` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const whole = Math.max(0, Math.round(seconds))
  if (whole < 60) return `${whole} s`
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`
}

function statusNote(job: BulkJob): string {
  return job.status === 'paused_reauth' ? ' · paused: waiting for a fresh sign-in' : ''
}

function barView(output: ProgressOutput, totalRows: number): ProgressView {
  const bar = new SingleBar({
    stream: output as NodeJS.WritableStream,
    format:
      'Inviting [{bar}] {percentage}% | {value}/{total} rows | {invited} invited, {failed} failed | {rate} rows/s | ETA {etaText}{note}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: false,
    // The BFF computes the ETA from its own rate; cli-progress's estimate would only repeat it worse.
    etaBuffer: 1,
  })
  bar.start(Math.max(totalRows, 1), 0, { invited: 0, failed: 0, rate: '0.0', etaText: '—', note: '' })
  let last: BulkJob | null = null
  return {
    update(job) {
      last = job
      bar.update(rowsDone(job), {
        invited: job.counts.invited,
        failed: job.counts.failed,
        rate: job.ratePerSecond.toFixed(1),
        etaText: formatDuration(job.etaSeconds),
        note: statusNote(job),
      })
    },
    stop() {
      if (last) bar.update(rowsDone(last))
      bar.stop()
    },
  }
}

function plainView(output: ProgressOutput, now: () => number): ProgressView {
  let lastLineAt = Number.NEGATIVE_INFINITY
  let lastPrinted = ''
  let latest: BulkJob | null = null
  const print = (job: BulkJob) => {
    const line =
      `Progress: ${rowsDone(job)}/${job.totalRows} rows (${job.counts.invited} invited, ${job.counts.failed} failed` +
      `${job.counts.cancelled ? `, ${job.counts.cancelled} cancelled` : ''}), ${job.ratePerSecond.toFixed(1)} rows/s, ` +
      `ETA ${formatDuration(job.etaSeconds)}${statusNote(job)}`
    if (line === lastPrinted) return
    output.write(`${line}\n`)
    lastPrinted = line
    lastLineAt = now()
  }
  return {
    update(job) {
      latest = job
      if (now() - lastLineAt >= PLAIN_LINE_EVERY_MS) print(job)
    },
    stop() {
      if (latest) print(latest)
    },
  }
}
