import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createGraphPacer, type GraphPacer, throttleSignal, usageBand } from '../../src/bulk/graph-pacer.js'
import type { GraphBatchResponse } from '../../src/graph/graph-api.js'

const item = (status: number, headers: Record<string, string> = {}): GraphBatchResponse => ({
  id: '1',
  status,
  headers,
})

describe('throttleSignal', () => {
  it("reads the items' highest usage and longest Retry-After, whatever the header case", () => {
    expect(
      throttleSignal([
        item(201, { 'x-ms-throttle-limit-percentage': '0.9' }),
        item(201, { 'X-MS-Throttle-Limit-Percentage': '1.2' }),
        item(429, { 'Retry-After': '3' }),
        item(429, { 'retry-after': '7' }),
      ]),
    ).toEqual({ usage: 1.2, usageText: '1.2', retryAfterSeconds: 7 })
  })

  it('reports nothing below 0.8 of the limit, and 10 s for a 429 without Retry-After', () => {
    expect(throttleSignal([item(201), item(503, { 'Retry-After': '5' })])).toEqual({})
    expect(throttleSignal([item(429)])).toEqual({ retryAfterSeconds: 10 })
  })
})

describe('usageBand', () => {
  it('reads a reading as the range its decimals allow; no reading is at most 0.8', () => {
    expect(usageBand(undefined)).toEqual({ low: 0, high: 0.8 })
    for (const [text, low, high] of [
      ['0.9', 0.85, 0.95],
      ['0.8', 0.8, 0.85],
    ] as const) {
      const band = usageBand(Number(text), text)
      expect(band.low).toBeCloseTo(low)
      expect(band.high).toBeCloseTo(high)
    }
    const precise = usageBand(0.93, '0.93')
    expect(precise.low).toBeCloseTo(0.925)
    expect(precise.high).toBeCloseTo(0.935)
  })
})

/**
 * Graph's budget as Identity and access counts it: at most `perSecond` × 10 requests in any 10 s, the share used
 * reported with one decimal past 0.8, and a 429 past the limit.
 */
function tenSecondBudget(perSecond: number) {
  const limit = perSecond * 10
  const times: number[] = []
  return {
    spend(now: number): GraphBatchResponse {
      while (times.length > 0 && (times[0] as number) <= now - 10_000) times.shift()
      const used = (times.length + 1) / limit
      const headers: Record<string, string> =
        used > 0.8 ? { 'x-ms-throttle-limit-percentage': used.toFixed(1) } : {}
      if (times.length + 1 > limit) return item(429, { ...headers, 'Retry-After': '1' })
      times.push(now)
      return item(201, headers)
    },
  }
}

describe('createGraphPacer against a budget it is never told', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  /**
   * Sends batches as fast as the pacer lets, for `seconds`; `others` spend the same budget meanwhile, for the first
   * `othersSeconds`.
   */
  async function run(
    budget: ReturnType<typeof tenSecondBudget>,
    seconds: number,
    others = 0,
    othersSeconds = seconds,
  ) {
    const paced = createGraphPacer({ initialRate: 100, clock: () => Date.now() })
    const sent: { at: number; ok: number; throttled: number }[] = []
    let othersOwed = 0
    const began = Date.now()
    let othersAt = began
    const until = began + seconds * 1000
    while (Date.now() < until) {
      let taken = false
      const size = paced.batchSize(20)
      void paced.acquire(size).then(() => {
        taken = true
      })
      while (!taken) await vi.advanceTimersByTimeAsync(5)
      const answers = await paced.track(async () => {
        await vi.advanceTimersByTimeAsync(20) // Graph's answer takes a moment
        const othersNow = Math.min(Date.now(), began + othersSeconds * 1000)
        othersOwed += (others * Math.max(0, othersNow - othersAt)) / 1000
        othersAt = othersNow
        for (; othersOwed >= 1; othersOwed -= 1) budget.spend(Date.now())
        return Array.from({ length: size }, () => budget.spend(Date.now()))
      })
      const ok = answers.filter((answer) => answer.status === 201).length
      sent.push({ at: Date.now(), ok, throttled: size - ok })
    }
    /**
     * Requests per second Graph took from the pacer over the last `last` seconds (ending `earlier` seconds before the
     * end), and the 429s it answered.
     */
    return (last: number, earlier = 0) => {
      const to = until - earlier * 1000
      const recent = sent.filter((entry) => entry.at > to - last * 1000 && entry.at <= to)
      return {
        rate: recent.reduce((total, entry) => total + entry.ok, 0) / last,
        throttled: recent.reduce((total, entry) => total + entry.throttled, 0),
      }
    }
  }

  it('settles between 0.93 and 1 of the budget, with 429s rare', async () => {
    const figures = await run(tenSecondBudget(200), 90)
    const { rate, throttled } = figures(60)
    expect(rate).toBeGreaterThan(0.93 * 200)
    expect(rate).toBeLessThanOrEqual(200)
    // At most a few per thousand requests once settled.
    expect(throttled).toBeLessThan(0.005 * rate * 60)
  })

  /**
   * As the bulk worker sends: `senders` batches in flight at once, each answered `latencyMs` after it goes, so the
   * pacer's readings arrive late and the budget is shared by batches it has already let go.
   */
  async function runConcurrent(
    budget: ReturnType<typeof tenSecondBudget>,
    seconds: number,
    senders: number,
    latencyMs: number,
  ) {
    const paced = createGraphPacer({ initialRate: 100, clock: () => Date.now() })
    const sent: { at: number; ok: number; throttled: number }[] = []
    const began = Date.now()
    const until = began + seconds * 1000
    const sender = async () => {
      while (Date.now() < until) {
        const size = paced.batchSize(20)
        await paced.acquire(size)
        // Graph counts a request when it arrives and answers later.
        const answers = Array.from({ length: size }, () => budget.spend(Date.now()))
        await paced.track(async () => {
          await new Promise((resolve) => setTimeout(resolve, latencyMs))
          return answers
        })
        const ok = answers.filter((answer) => answer.status === 201).length
        sent.push({ at: Date.now(), ok, throttled: size - ok })
      }
    }
    let finished = false
    void Promise.all(Array.from({ length: senders }, sender)).then(() => {
      finished = true
    })
    while (!finished) await vi.advanceTimersByTimeAsync(1000)
    /** What Graph took per second and the 429s it answered, between `from` and `to` seconds after the start. */
    return (from: number, to = seconds) => {
      const recent = sent.filter((entry) => entry.at > began + from * 1000 && entry.at <= began + to * 1000)
      return {
        rate: recent.reduce((total, entry) => total + entry.ok, 0) / (to - from),
        throttled: recent.reduce((total, entry) => total + entry.throttled, 0),
      }
    }
  }

  it('settles near the budget with 16 batches in flight and 150 ms answers, as the bulk worker sends', async () => {
    const figures = await runConcurrent(tenSecondBudget(200), 90, 16, 150)
    const { rate, throttled } = figures(30)
    expect(rate).toBeGreaterThan(0.93 * 200)
    expect(rate).toBeLessThanOrEqual(200)
    expect(throttled).toBeLessThan(0.01 * rate * 60)
  })

  it("meets no wall at the start: the first reading is read over Graph's whole window", async () => {
    // Graph's window holds everything sent since the start; dividing it by the seconds since the start instead of the
    // window's 10 over-estimates the budget, and the first window fills into the wall.
    const figures = await runConcurrent(tenSecondBudget(200), 30, 16, 150)
    expect(figures(0, 30).throttled).toBe(0)
    expect(figures(15, 30).rate).toBeGreaterThan(0.9 * 200)
  })

  it('leaves to other callers what they use of the budget', async () => {
    const figures = await run(tenSecondBudget(200), 90, 100)
    const { rate } = figures(60)
    expect(rate).toBeGreaterThan(0.8 * 100)
    expect(rate).toBeLessThanOrEqual(100)
  })

  it('takes back within seconds what other callers stop using, without a wall', async () => {
    // Others spend 150 of the 200 a second for 60 s, so the pacer learns a budget of about 50; then they stop.
    const figures = await run(tenSecondBudget(200), 100, 150, 60)
    expect(figures(20, 40).rate).toBeLessThan(60)
    // From 20 s after they stopped, the pacer fills the budget again.
    const { rate, throttled } = figures(20)
    expect(rate).toBeGreaterThan(0.9 * 200)
    expect(throttled).toBeLessThan(0.01 * rate * 20)
  })
})

describe('createGraphPacer', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())
  const pacer = (initialRate = 100) => createGraphPacer({ initialRate, clock: () => Date.now() })
  const answers = (status: number, headers: Record<string, string>) => async () => [item(status, headers)]
  /** Sends `total` requests, `perBatch` every 0.1 s with no reading, then one request that reads `usage`. */
  async function sendThenRead(paced: GraphPacer, total: number, perBatch: number, usage: string) {
    for (let sent = 0; sent < total; sent += perBatch) {
      await paced.acquire(perBatch)
      await paced.track(answers(201, {}))
      await vi.advanceTimersByTimeAsync(100)
    }
    await paced.acquire(1)
    await paced.track(answers(201, { 'x-ms-throttle-limit-percentage': usage }))
  }

  it('lets batches go at its pace, in turn', async () => {
    const paced = pacer(100)
    const order: number[] = []
    for (const index of [1, 2, 3]) void paced.acquire(20).then(() => order.push(index))
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual([1])
    // 20 requests at 100 per second: the next batch 0.2 s later.
    await vi.advanceTimersByTimeAsync(150)
    expect(order).toEqual([1])
    await vi.advanceTimersByTimeAsync(100)
    expect(order).toEqual([1, 2])
    await vi.advanceTimersByTimeAsync(250)
    expect(order).toEqual([1, 2, 3])
  })

  it('lets work on claimed rows (ahead) go before new work, each in turn', async () => {
    const paced = pacer(100)
    const order: string[] = []
    const wait = (name: string, ahead = false) =>
      void paced.acquire(20, { ahead }).then(() => order.push(name))
    wait('new 1')
    wait('new 2')
    wait('new 3')
    wait('follow-up 1', true)
    wait('follow-up 2', true)
    // 20 requests at 100 per second: one batch every 0.2 s.
    await vi.advanceTimersByTimeAsync(1000)
    expect(order).toEqual(['new 1', 'follow-up 1', 'follow-up 2', 'new 2', 'new 3'])
  })

  it("holds every batch until a 429's Retry-After, and an aborted wait takes nothing", async () => {
    const paced = pacer()
    await paced.acquire(1)
    await paced.track(answers(429, { 'Retry-After': '2', 'x-ms-throttle-limit-percentage': '1.0' }))
    let went = false
    void paced.acquire(1).then(() => {
      went = true
    })
    const stopping = new AbortController()
    const abandoned = paced.acquire(1, { signal: stopping.signal })
    await vi.advanceTimersByTimeAsync(1900)
    expect(went).toBe(false)
    stopping.abort()
    expect(await abandoned).toBe(false)
    await vi.advanceTimersByTimeAsync(200)
    expect(went).toBe(true)
  })

  it('slows down when Graph reports the budget spent, not for a 429 of another limit', async () => {
    const paced = pacer(100)
    await paced.acquire(20)
    await paced.track(answers(429, { 'Retry-After': '1' }))
    expect(paced.state.rate).toBe(100)
    await vi.advanceTimersByTimeAsync(1000)
    await paced.acquire(20)
    await paced.track(answers(429, { 'Retry-After': '1', 'x-ms-throttle-limit-percentage': '1.0' }))
    expect(paced.state.rate).toBeLessThan(100)
  })

  it('reads 0.8 as more than 0.8 of the limit (Graph says nothing below), not as at most 0.8', async () => {
    // 1,700 requests over Graph's 10 s window, then a reading of 0.8: 0.8–0.85 of the limit, so the budget is at
    // least 1,700 / 0.85 / 10 s = 200 a second, and nothing proves more; read as "at most 0.8", it would be 212.5.
    const paced = pacer(170)
    await sendThenRead(paced, 1700, 17, '0.8')
    expect(paced.state.rate).toBeGreaterThan(190)
    expect(paced.state.rate).toBeLessThanOrEqual(200)
  })

  it("bounds the budget over Graph's 10 s window even when sending began less than a window ago", async () => {
    // 1,700 requests in the first 5 s, then a reading of 0.8: Graph's window holds those 1,700, so the budget is at
    // least 1,700 / 0.85 / 10 s = 200 a second, not twice that.
    const paced = pacer(340)
    await sendThenRead(paced, 1700, 34, '0.8')
    expect(paced.state.rate).toBeGreaterThan(190)
    expect(paced.state.rate).toBeLessThanOrEqual(200)
  })

  it('sizes batches to a tenth of a second at its pace', () => {
    expect(pacer(100).batchSize(20)).toBe(10)
    expect(pacer(1000).batchSize(20)).toBe(20)
    expect(pacer(5).batchSize(20)).toBe(1)
  })
})
