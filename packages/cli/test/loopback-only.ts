import { installLoopbackGuard } from '@entra-share/emulator/testing'
import { afterAll, expect } from 'vitest'

/** Every CLI test file proves the test process made no connection outside 127.0.0.1. */
const guard = installLoopbackGuard()

afterAll(() => {
  expect(guard.attempts, 'connections attempted outside 127.0.0.1').toEqual([])
})
