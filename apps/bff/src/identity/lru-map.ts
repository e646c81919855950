/**
 * A `Map` bounded to `capacity` entries that forgets the least recently used one first. Reads refresh an entry.
 *
 * @example
 * const partitions = new LruMap<string, number>(2)
 * partitions.set('a', 1); partitions.set('b', 2); partitions.get('a'); partitions.set('c', 3)
 * partitions.has('b') // false: 'b' was used least recently
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`LruMap: capacity must be a whole number of at least 1, got ${capacity}.`)
    }
  }

  get size(): number {
    return this.entries.size
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key)
    if (value === undefined) return undefined
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }

  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }
}
