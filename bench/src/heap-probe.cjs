// Preloaded into the BFF by the upload memory benchmark (`node --expose-gc --require …/heap-probe.cjs dist/cli.js`,
// spawned with an IPC channel): asked `{ heapProbe: true }`, it runs a full garbage collection on the main thread and
// answers `{ heapProbe: { heapUsed, arrayBuffers, rss } }` (bytes): memory the BFF keeps, told apart from garbage not
// yet collected. (Not a signal: the BFF's graceful shutdown takes SIGUSR2, as nodemon sends it.)
const { isMainThread } = require('node:worker_threads')

if (isMainThread && process.send && typeof globalThis.gc === 'function') {
  // The channel must not keep the BFF alive.
  process.channel?.unref()
  process.on('message', (message) => {
    if (message?.heapProbe !== true) return
    globalThis.gc()
    const { heapUsed, arrayBuffers, rss } = process.memoryUsage()
    process.send?.({ heapProbe: { heapUsed, arrayBuffers, rss } })
  })
}
