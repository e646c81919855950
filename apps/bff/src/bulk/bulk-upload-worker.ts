/**
 * The worker thread that reads bulk uploads (issue 16): parsing and judging a file's rows makes about a kilobyte of
 * short-lived objects a row, much of which outlives young-generation collections. On the main thread that filled V8's
 * old space by ~100 MB over a 100,000-row file; here the worker's small heap limits make it collect often, and its
 * heap cannot grow past them. Started by `bulk-upload-threads.ts`; built as its own entry (`dist/bulk-upload-worker.js`).
 */
import { type MessagePort, parentPort } from 'node:worker_threads'
import { isProblemError } from '../platform/problem-error.js'
import { judgeBulkCsv } from './bulk-upload-judge.js'
import {
  BATCHES_IN_FLIGHT,
  type FromUploadWorker,
  type StartUpload,
  type ToUploadWorker,
} from './bulk-upload-protocol.js'

if (!parentPort) throw new Error('bulk-upload-worker runs as a worker thread only.')
parentPort.on('message', (message: StartUpload) => {
  if (message.type === 'upload') void readUpload(message)
})

/** Thrown inside the worker when the main thread gives the upload up; nobody hears its answer. */
class UploadAborted extends Error {}

async function readUpload({ port, options }: StartUpload): Promise<void> {
  const channel = uploadChannel(port)
  try {
    let unacknowledged = 0
    for await (const item of judgeBulkCsv(channel.chunks(), options)) {
      channel.send({ type: 'item', item })
      if (item.kind === 'rows') {
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
