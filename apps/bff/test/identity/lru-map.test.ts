import { describe, expect, it } from 'vitest'
import { LruMap } from '../../src/identity/lru-map.js'

describe('LruMap', () => {
  it('drops the least recently used entry once over capacity, a read counting as use', () => {
    const map = new LruMap<string, number>(2)
    map.set('a', 1)
    map.set('b', 2)
    expect(map.get('a')).toBe(1)
    map.set('c', 3)
    expect(map.has('b')).toBe(false)
    expect(map.get('a')).toBe(1)
    expect(map.get('c')).toBe(3)
    expect(map.size).toBe(2)
  })

  it('refuses a capacity below 1, naming the option', () => {
    expect(() => new LruMap(0)).toThrow(/capacity must be a whole number of at least 1/)
  })
})
