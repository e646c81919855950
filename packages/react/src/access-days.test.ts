import { describe, expect, it } from 'vitest'
import { readAccessDays } from './access-days.js'

describe('readAccessDays', () => {
  it('reads a whole number of days within 1 to max, nothing from an empty field, and refuses the rest', () => {
    expect(readAccessDays('30', 90)).toBe(30)
    expect(readAccessDays(' 90 ', 90)).toBe(90)
    expect(readAccessDays('1', 1)).toBe(1)
    expect(readAccessDays('', 90)).toBeUndefined()
    expect(readAccessDays('  ', 90)).toBeUndefined()
    for (const refused of ['0', '91', '-1', '1.5', '1e1', '0x10', 'ten', '3 0'])
      expect(readAccessDays(refused, 90)).toBeNull()
  })
})
