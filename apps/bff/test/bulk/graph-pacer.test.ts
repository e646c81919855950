import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createGraphPacer, throttleSignal } from '../../src/bulk/graph-pacer.js'
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
    ).toEqual({ usage: 1.2, retryAfterSeconds: 7 })
  })

  it('reports nothing below 0.8 of the limit, and 10 s for a 429 without Retry-After', () => {
    expect(throttleSignal([item(201), item(503, { 'Retry-After': '5' })])).toEqual({})
    expect(throttleSignal([item(429)])).toEqual({ retryAfterSeconds: 10 })
  })
})

describe('createGraphPacer', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())
  const pacer = (initialRate = 100) => createGraphPacer({ initialRate, clock: () => Date.now() })
  const answers = (status: number, headers: Record<string, string>) => async () => [item(status, headers)]

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

  it("holds every batch until a 429's Retry-After, and an aborted wait takes nothing", async () => {
    const paced = pacer()
    await paced.acquire(1)
    await paced.track(answers(429, { 'Retry-After': '2', 'x-ms-throttle-limit-percentage': '1.0' }))
    let went = false
    void paced.acquire(1).then(() => {
      went = true
    })
    const stopping = new AbortController()
    const abandoned = paced.acquire(1, stopping.signal)
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

  it('sizes batches to a tenth of a second at its pace', () => {
    expect(pacer(100).batchSize(20)).toBe(10)
    expect(pacer(1000).batchSize(20)).toBe(20)
    expect(pacer(5).batchSize(20)).toBe(1)
  })
})
