import { describe, expect, it } from 'vitest'
import { FirstRowByAddress } from '../../src/bulk/first-row-by-address.js'

describe('FirstRowByAddress (duplicate detection of a bulk upload)', () => {
  it('answers the first row of an address seen before, and records a new one', () => {
    const firsts = new FirstRowByAddress()
    expect(firsts.claim('ada@fabrikam.example', 3)).toBeUndefined()
    expect(firsts.claim('bob@fabrikam.example', 4)).toBeUndefined()
    expect(firsts.claim('ada@fabrikam.example', 12)).toBe(3)
    // The first row stays the first: a third copy names row 3 too.
    expect(firsts.claim('ada@fabrikam.example', 20)).toBe(3)
    expect(firsts.size).toBe(2)
  })

  it('keeps every address and its first row as the table grows far past its first size', () => {
    const firsts = new FirstRowByAddress()
    const count = 50_000
    for (let row = 1; row <= count; row += 1)
      expect(firsts.claim(`guest-${row}@fabrikam.example`, row)).toBeUndefined()
    expect(firsts.size).toBe(count)
    // Each seen again, in another order: each names its own first row, none another's.
    const wrong: number[] = []
    for (let row = count; row >= 1; row -= 1) {
      if (firsts.claim(`guest-${row}@fabrikam.example`, count + row) !== row) wrong.push(row)
    }
    expect(wrong).toEqual([])
    expect(firsts.size).toBe(count)
  })
})
