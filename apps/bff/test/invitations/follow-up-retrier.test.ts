import { setTimeout as wait } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { startFollowUpRetrier } from '../../src/invitations/follow-up-retrier.js'
import type { FollowUpRunResult } from '../../src/invitations/invite-service.js'

/** A test double of the service's retry entry point: counts runs, overlapping ones, and takes `runMs` each. */
function slowRetryService(runMs: number, outcome: () => FollowUpRunResult = () => idle) {
  const stats = { runs: 0, running: 0, maxConcurrent: 0, finished: 0 }
  return {
    stats,
    async retryDueFollowUps(): Promise<FollowUpRunResult> {
      stats.runs += 1
      stats.running += 1
      stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.running)
      await wait(runMs)
      stats.running -= 1
      stats.finished += 1
      return outcome()
    },
  }
}

const idle: FollowUpRunResult = { claimed: 0, completed: 0, stillPending: 0 }

function recordingLogger() {
  const entries: { level: string; details: object; message: string }[] = []
  return {
    entries,
    info: (details: object, message: string) => entries.push({ level: 'info', details, message }),
    error: (details: object, message: string) => entries.push({ level: 'error', details, message }),
  }
}

describe('startFollowUpRetrier', () => {
  it('runs repeatedly, never two runs at once, and stop() waits for the run in progress', async () => {
    const service = slowRetryService(60)
    const retrier = startFollowUpRetrier(service, { intervalSeconds: 0.01, logger: recordingLogger() })
    await wait(250)
    expect(service.stats.runs).toBeGreaterThanOrEqual(2)
    expect(service.stats.maxConcurrent).toBe(1)
    await retrier.stop()
    expect(service.stats.running).toBe(0)
    const runsAtStop = service.stats.runs
    await wait(100)
    expect(service.stats.runs).toBe(runsAtStop)
  })

  it('logs runs that did something and failures, and keeps going after a failure', async () => {
    const logger = recordingLogger()
    let call = 0
    const retrier = startFollowUpRetrier(
      {
        async retryDueFollowUps() {
          call += 1
          if (call === 1) throw new Error('database unavailable')
          return { claimed: 2, completed: 1, stillPending: 1 }
        },
      },
      { intervalSeconds: 0.01, logger },
    )
    await wait(100)
    await retrier.stop()
    expect(logger.entries[0]).toMatchObject({ level: 'error' })
    expect(logger.entries[1]).toMatchObject({
      level: 'info',
      details: { claimed: 2, completed: 1, stillPending: 1 },
    })
  })

  it('does not keep the process alive (its timer is unref’d) and refuses a bad interval', async () => {
    const activeTimeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length
    const before = activeTimeouts()
    const retrier = startFollowUpRetrier(slowRetryService(1), {
      intervalSeconds: 3600,
      logger: recordingLogger(),
    })
    // An unref'd Timeout is not reported as keeping the event loop alive.
    expect(activeTimeouts()).toBe(before)
    await retrier.stop()
    expect(() =>
      startFollowUpRetrier(slowRetryService(1), { intervalSeconds: 0, logger: recordingLogger() }),
    ).toThrow(/intervalSeconds/)
  })
})
