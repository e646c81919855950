/**
 * The worker thread that reads bulk uploads (issue 16): parsing and judging a file's rows makes about a kilobyte of
 * short-lived objects a row, much of which outlives young-generation collections. On the main thread that filled V8's
 * old space by ~100 MB over a 100,000-row file; here the worker's small heap limits make it collect often, and its
 * heap cannot grow past them. The rows it judged reach the database without becoming strings or objects on the main
 * thread: on PostgreSQL it stores them itself, over a connection of its own; on PGlite (which only the main thread
 * can reach) it hands each batch over as UTF-8 in shared memory. Started by `bulk-upload-threads.ts`; built as its own
 * entry (`dist/bulk-upload-worker.js`).
 */
import { type MessagePort, parentPort } from 'node:worker_threads'
import { postgresClientConfig } from '../platform/postgres-connection.js'
import { isProblemError } from '../platform/problem-error.js'
import { INSERT_BULK_ROWS_JSON } from './bulk-row-json.js'
import { judgeBulkCsv } from './bulk-upload-judge.js'
import {
  BATCHES_IN_FLIGHT,
  type FromUploadWorker,
  type StartUpload,
  type ToUploadWorker,
  type WorkerRowStore,
} from './bulk-upload-protocol.js'
import { SharedSlot } from './shared-slot.js'

if (!parentPort) throw new Error('bulk-upload-worker runs as a worker thread only.')
parentPort.on('message', (message: StartUpload) => {
  if (message.type === 'upload') void readUpload(message)
})

/** Thrown inside the worker when the main thread gives the upload up; nobody hears its answer. */
class UploadAborted extends Error {}

async function readUpload({ port, options, storeRows }: StartUpload): Promise<void> {
  const channel = uploadChannel(port)
  let rowStore: Awaited<ReturnType<typeof openRowStore>> | undefined
  try {
    if (storeRows) rowStore = await openRowStore(storeRows)
    // Handed over (PGlite): batch n goes in slot n % BATCHES_IN_FLIGHT, free again once batch n - that is stored.
    // (Only then: stored here, the batches need no shared memory.)
    const slots = rowStore ? [] : Array.from({ length: BATCHES_IN_FLIGHT }, () => new SharedSlot())
    let handedOver = 0
    let unacknowledged = 0
    // Stored here (PostgreSQL): each batch's insert runs while the next batch is judged, at most this many at once.
    const inserts: Promise<void>[] = []
    for await (const item of judgeBulkCsv(channel.chunks(), options)) {
      if (item.kind === 'end') {
        await Promise.all(inserts)
        channel.send({ type: 'item', item })
      } else if (rowStore) {
        const insert = rowStore.insert(item.json)
        // Its failure is heard when it is awaited, below or before the summary; meanwhile it is not unhandled.
        insert.catch(() => undefined)
        inserts.push(insert)
        if (inserts.length >= BATCHES_IN_FLIGHT) await inserts.shift()
      } else {
        const slot = slots[handedOver++ % BATCHES_IN_FLIGHT] as SharedSlot
        channel.send({ type: 'item', item: { kind: 'rows', json: slot.write(item.json) } })
        unacknowledged += 1
        // Batches wait on the main thread until stored: no more than this many, whatever the insert's pace.
        if (unacknowledged >= BATCHES_IN_FLIGHT) {
          await channel.acknowledged()
          unacknowledged -= 1
        }
      }
    }
  } catch (error) {
    if (error instanceof UploadAborted) return
    if (isProblemError(error)) {
      const { detail, errors } = error.extras
      channel.send({
        type: 'problem',
        code: error.code,
        ...(detail !== undefined ? { detail } : {}),
        ...(errors !== undefined ? { errors } : {}),
      })
    } else channel.send({ type: 'crash', message: error instanceof Error ? error.message : String(error) })
  } finally {
    port.close()
    await rowStore?.close()
  }
}

/**
 * A connection of this thread's own to the job's database (PostgreSQL), for its batches: `pg` is loaded only when an
 * upload needs it, so a worker on PGlite does not hold it. A failed insert fails the upload, as on the main thread.
 */
async function openRowStore({ connection, jobId }: WorkerRowStore) {
  const { default: pg } = await import('pg')
  const client = new pg.Client(postgresClientConfig(connection))
  // A connection the server drops makes the next query fail (and the upload with it), not this thread.
  client.on('error', () => undefined)
  await client.connect()
  return {
    insert: async (json: string) => {
      await client.query(INSERT_BULK_ROWS_JSON, [jobId, json])
    },
    close: () => client.end().catch(() => undefined),
  }
}

/**
 * The worker's side of one upload's port: the file's bytes as an async iterable that asks for each chunk when it
 * needs it, and the main thread's acknowledgements of stored batches. Acks that arrive before they are awaited count.
 */
function uploadChannel(port: MessagePort) {
  let aborted = false
  let acks = 0
  let waiting: { resolve: (message: ToUploadWorker) => void; reject: (error: Error) => void } | undefined
  let ackWaiting: { resolve: () => void; reject: (error: Error) => void } | undefined
  port.on('message', (message: ToUploadWorker) => {
    if (message.type === 'abort') {
      aborted = true
      waiting?.reject(new UploadAborted())
      ackWaiting?.reject(new UploadAborted())
      waiting = ackWaiting = undefined
    } else if (message.type === 'ack') {
      acks += 1
      if (ackWaiting) {
        acks -= 1
        ackWaiting.resolve()
        ackWaiting = undefined
      }
    } else {
      waiting?.resolve(message)
      waiting = undefined
    }
  })
  const send = (message: FromUploadWorker) => {
    if (!aborted) port.postMessage(message)
  }
  return {
    send,
    async *chunks(): AsyncGenerator<Buffer> {
      for (;;) {
        if (aborted) throw new UploadAborted()
        const next = new Promise<ToUploadWorker>((resolve, reject) => {
          waiting = { resolve, reject }
        })
        send({ type: 'pull' })
        const message = await next
        if (message.type === 'end') return
        // A copy: the main thread writes the next chunk into the same shared memory once this one is pulled past.
        if (message.type === 'chunk') yield Buffer.from(message.bytes)
      }
    },
    acknowledged(): Promise<void> {
      if (aborted) return Promise.reject(new UploadAborted())
      if (acks > 0) {
        acks -= 1
        return Promise.resolve()
      }
      return new Promise((resolve, reject) => {
        ackWaiting = { resolve, reject }
      })
    },
  }
}
