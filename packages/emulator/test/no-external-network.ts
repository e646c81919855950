import { afterAll, expect } from 'vitest'
import { installLoopbackGuard } from '../src/testing/loopback-guard.js'

/**
 * Setup file for every test file: refuses and records any TCP connection to a host other than loopback, then
 * fails the file if one was attempted. This is how the suite proves no request leaves 127.0.0.1.
 */
const guard = installLoopbackGuard()
export const externalConnectionAttempts = guard.attempts

afterAll(() => {
  expect(externalConnectionAttempts, 'connections attempted outside 127.0.0.1').toEqual([])
})
