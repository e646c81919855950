import net from 'node:net'

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * Refuses every TCP connection to a host other than loopback and records it, so a test suite can prove that no
 * request leaves 127.0.0.1 (use it from a test setup file and assert `attempts` is empty after the file).
 *
 * @example
 * const guard = installLoopbackGuard()
 * afterAll(() => expect(guard.attempts).toEqual([]))
 */
export function installLoopbackGuard(): { attempts: string[] } {
  const attempts: string[] = []
  const originalConnect = net.Socket.prototype.connect
  net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; port?: number; path?: string } | number | string
    const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }
    const host = typeof options.host === 'string' ? options.host : 'localhost'
    if (!('path' in options && options.path) && !LOOPBACK.has(host)) {
      attempts.push(`${host}:${String(options.port)}`)
      process.nextTick(() =>
        this.destroy(new Error(`Blocked a connection to ${host}: tests must not leave 127.0.0.1`)),
      )
      return this
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
  return { attempts }
}
