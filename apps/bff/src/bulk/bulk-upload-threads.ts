import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import { MessageChannel, type ResourceLimits, Worker } from 'node:worker_threads'
import { ProblemError } from '../platform/problem-error.js'
import { unreadableFile } from './bulk-csv.js'
import type { JudgeBulkCsvOptions } from './bulk-upload-judge.js'
import type {
  FromUploadWorker,
  StartUpload,
  ToUploadWorker,
  UploadItem,
  WorkerRowStore,
} from './bulk-upload-protocol.js'
import { SharedSlot } from './shared-slot.js'

/** Reads bulk uploads on worker threads; see {@link createBulkUploadThreads}. */
export interface BulkUploadThreads {
  /**
   * `judgeBulkCsv` on a worker thread: the same items (batches of row JSON, then the summary) and the same
   * `ProblemError`s, except that a batch's JSON comes as UTF-8 bytes in memory shared with the worker
   * (`SharedBatch`). The source is read on this thread only as fast as the worker asks for it. Each batch
   * yielded is acknowledged when the caller asks for the next item, i.e. once it is stored: its bytes are valid
   * until then, so store (or copy) them before asking. With `storeRows` (PostgreSQL) the worker stores the batches
   * itself, over a connection of its own, and yields only the summary, once every batch is stored.
   */
  judge(
    source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    options: JudgeBulkCsvOptions,
    storeRows?: WorkerRowStore,
  ): AsyncGenerator<UploadItem>
  /** Terminates the workers (graceful shutdown); an upload still being read fails. */
  close(): Promise<void>
}

/**
 * The worker's young generation, MB: small, so it is collected often and what a row leaves behind is seldom old
 * enough to be promoted.
 */
const YOUNG_GENERATION_MB = 4
/**
 * The worker's old generation, MB: code, the parser, a batch or two. The addresses seen, for duplicate detection, are
 * outside it (typed arrays, `FirstRowByAddress`), so it does not depend on the file's length.
 */
const OLD_GENERATION_MB = 24
/** The most worker threads at once: uploads beyond wait for one (a burst of uploads must not start a thread each). */
const MAX_WORKERS = 2

/**
 * The worker threads that read bulk uploads, so that parsing and judging a file's rows does not fill the main
 * thread's heap (issue 16): one worker is kept, started with the first upload and reused by the next, so its start-up
 * is paid once and the idle process already includes it; an upload that starts while it is busy gets a worker of its
 * own, ended when that upload is, up to `MAX_WORKERS` at once (then uploads wait for one, first come first served).
 * Each worker's heap is capped (`resourceLimits`), so it collects often and cannot grow.
 * (Measured on 100,000 rows: a worker per upload left ~12 MB less at idle but grew ~5–10 MB more during the upload,
 * to about the same peak.) A worker that fails fails its upload only; the next upload starts a new one.
 *
 * Runs `dist/bulk-upload-worker.js` beside the built module; from the TypeScript sources (the tests), the `.ts` with
 * tsx registered in that worker only.
 *
 * @example
 * const threads = createBulkUploadThreads()
 * for await (const item of threads.judge(file, { config, caller, maxBytes, maxRows: 50_000 })) {
 *   if (item.kind === 'rows') await store.insertRowsJson(jobId, item.json)
 * }
 * await threads.close()
 */
export function createBulkUploadThreads(): BulkUploadThreads {
  const resourceLimits: ResourceLimits = {
    maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    maxOldGenerationSizeMb: OLD_GENERATION_MB,
  }
  const workers = new Set<Worker>()
  let idle: Worker | undefined
  let closed = false
  /** Uploads waiting for a worker while `MAX_WORKERS` are busy, first come first served. */
  const queue: { resolve: (worker: Worker) => void; reject: (error: Error) => void }[] = []

  async function acquire(): Promise<Worker> {
    if (closed) throw new Error('The bulk upload threads are closed.')
    const kept = idle
    idle = undefined
    if (kept) return kept
    // However many uploads arrive at once, at most MAX_WORKERS threads (and heaps) exist: the rest wait their turn,
    // their request bodies unread.
    if (workers.size >= MAX_WORKERS) return new Promise((resolve, reject) => queue.push({ resolve, reject }))
    const worker = startUploadWorker(resourceLimits)
    workers.add(worker)
    // An idle worker's failure is only its end (the next upload starts another): an 'error' left unheard would throw.
    worker.on('error', () => {})
    worker.once('exit', () => {
      workers.delete(worker)
      if (idle === worker) idle = undefined
    })
    return worker
  }

  function release(worker: Worker, reusable: boolean): void {
    const usable = reusable && !closed && workers.has(worker)
    const next = queue.shift()
    if (next && usable) {
      next.resolve(worker)
      return
    }
    if (usable && idle === undefined) {
      // An idle worker must not keep the process alive.
      worker.unref()
      idle = worker
    } else {
      workers.delete(worker)
      void worker.terminate()
    }
    // A worker that could not be reused made room: the next upload in line starts one of its own.
    if (next) acquire().then(next.resolve, next.reject)
  }

  return {
    async *judge(source, judgeOptions, storeRows) {
      const worker = await acquire()
      worker.ref()
      const { port1: port, port2 } = new MessageChannel()
      const inbox = messageInbox()
      const chunks = asyncIterator(source)
      // Each chunk is copied into memory shared with the worker, which copies it out before it asks for the next.
      const chunkSlot = new SharedSlot()
      const send = (message: ToUploadWorker) => port.postMessage(message)
      const feed = async () => {
        try {
          const next = await chunks.next()
          if (next.done) send({ type: 'end' })
          else send({ type: 'chunk', bytes: chunkSlot.write(next.value) })
        } catch (error) {
          inbox.fail(unreadableFile(error))
        }
      }
      port.on('message', (message: FromUploadWorker) => {
        if (message.type === 'pull') void feed()
        else inbox.push(message)
      })
      const onError = (error: Error) => inbox.fail(error)
      const onExit = (code: number) =>
        inbox.fail(new Error(`The bulk upload worker thread stopped (exit code ${code}).`))
      worker.on('error', onError)
      worker.on('exit', onExit)
      // Only what the judging needs goes over: plain data (the caller's roles, not the caller).
      const start: StartUpload = {
        type: 'upload',
        port: port2,
        options: { ...judgeOptions, caller: { roles: [...judgeOptions.caller.roles] } },
        ...(storeRows ? { storeRows } : {}),
      }
      worker.postMessage(start, [port2])
      let finished = false
      try {
        for (;;) {
          const message = await inbox.next()
          // A turn of the event loop before each batch is stored: batches already waiting are otherwise stored one
          // after the other in promise callbacks alone (PGlite's queries never wait for I/O), holding every request up.
          await nextTurn()
          if (message.type === 'item') {
            if (message.item.kind === 'end') finished = true
            yield message.item
            if (finished) return
            send({ type: 'ack' })
          } else if (message.type === 'problem') {
            finished = true
            throw new ProblemError(message.code, {
              ...(message.detail !== undefined ? { detail: message.detail } : {}),
              ...(message.errors !== undefined ? { errors: message.errors } : {}),
            })
          } else throw new Error(`Reading the bulk file failed in its worker thread: ${message.message}`)
        }
      } finally {
        // The worker's part is over when it said so; otherwise it is told to stop, and not reused.
        if (!finished) send({ type: 'abort' })
        port.close()
        worker.off('error', onError)
        worker.off('exit', onExit)
        release(worker, finished)
      }
    },

    async close() {
      closed = true
      idle = undefined
      for (const waiting of queue.splice(0)) waiting.reject(new Error('The bulk upload threads are closed.'))
      await Promise.all([...workers].map((worker) => worker.terminate()))
    },
  }
}

/** Starts one upload worker: the built file beside this module, or, from the TypeScript sources, the `.ts` via tsx. */
function startUploadWorker(resourceLimits: ResourceLimits): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return new Worker(new URL('./bulk-upload-worker.js', here), { resourceLimits })
  // Running from the sources (vitest): tsx, a development dependency, compiles the worker's TypeScript, registered in
  // that worker only. A worker cannot take a `--import` hook for its own entry, hence this small bootstrap.
  const tsx = tsxEsmApi(here)
  const entry = new URL('./bulk-upload-worker.ts', here).href
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { eval: true, resourceLimits })
}

/** tsx's ESM API (`tsx/esm/api`, its `import` condition: the `require` one resolves wrongly when imported). */
function tsxEsmApi(from: string): string {
  const manifestPath = createRequire(from).resolve('tsx/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } }
  }
  return new URL(manifest.exports['./esm/api'].import.default, pathToFileURL(manifestPath)).href
}

/** The source's chunks, whatever it is: an async iterable (a `Readable`), an old-style stream, or an iterable. */
function asyncIterator(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string> | NodeJS.ReadableStream,
): AsyncIterator<Buffer | Uint8Array | string> {
  if (typeof (source as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
    return (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
  }
  const readable =
    typeof (source as NodeJS.ReadableStream).pipe === 'function'
      ? new Readable().wrap(source as NodeJS.ReadableStream)
      : Readable.from(source as Iterable<Buffer | string>)
  return readable[Symbol.asyncIterator]()
}

/** The worker's messages in order, and the first failure (the source's, the worker's own), awaited one at a time. */
function messageInbox() {
  const queue: Exclude<FromUploadWorker, { type: 'pull' }>[] = []
  let failure: Error | undefined
  let waiting: { resolve: () => void } | undefined
  const wake = () => {
    waiting?.resolve()
    waiting = undefined
  }
  return {
    push(message: Exclude<FromUploadWorker, { type: 'pull' }>) {
      queue.push(message)
      wake()
    },
    fail(error: Error) {
      failure ??= error
      wake()
    },
    async next(): Promise<Exclude<FromUploadWorker, { type: 'pull' }>> {
      for (;;) {
        if (failure) throw failure
        const message = queue.shift()
        if (message) return message
        await new Promise<void>((resolve) => {
          waiting = { resolve }
        })
      }
    },
  }
}
