import { describe, expect, it } from 'vitest'
import { SharedSlot } from '../../src/bulk/shared-slot.js'

describe('SharedSlot', () => {
  it('holds text as UTF-8 and bytes as given, in shared memory reused from one write to the next', () => {
    const slot = new SharedSlot()
    const text = slot.write('Zoë 🦋')
    expect(Buffer.from(text).toString('utf8')).toBe('Zoë 🦋')
    expect(text.buffer).toBeInstanceOf(SharedArrayBuffer)
    const bytes = slot.write(Uint8Array.of(1, 2, 3))
    expect([...bytes]).toEqual([1, 2, 3])
    expect(bytes.buffer).toBe(text.buffer)
  })

  it('takes a larger piece of memory for what does not fit, leaving the last view as it was', () => {
    const slot = new SharedSlot()
    const small = slot.write('a')
    const large = 'é'.repeat(100_000)
    const view = slot.write(large)
    expect(view.byteLength).toBe(200_000)
    expect(Buffer.from(view).toString('utf8')).toBe(large)
    expect(view.buffer).not.toBe(small.buffer)
    expect(Buffer.from(small).toString('utf8')).toBe('a')
  })
})
