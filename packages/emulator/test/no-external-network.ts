import net from 'node:net'
import { afterAll, expect } from 'vitest'

/**
 * Setup file for every test file: records any TCP connection to a host other than loopback and refuses it,
 * then fails the file if one was attempted. This is how the suite proves no request leaves 127.0.0.1.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
export const externalConnectionAttempts: string[] = []

const originalConnect = net.Socket.prototype.connect
net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; port?: number; path?: string } | number | string
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }
  const host = typeof options.host === 'string' ? options.host : 'localhost'
  if (!('path' in options && options.path) && !LOOPBACK.has(host)) {
    externalConnectionAttempts.push(`${host}:${String(options.port)}`)
    process.nextTick(() =>
      this.destroy(new Error(`Blocked a connection to ${host}: tests must not leave 127.0.0.1`)),
    )
    return this
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
} as typeof net.Socket.prototype.connect

afterAll(() => {
  expect(externalConnectionAttempts, 'connections attempted outside 127.0.0.1').toEqual([])
})
