import { hash } from 'node:crypto'

/** Slots to start with; the table doubles when it is half full. */
const INITIAL_SLOTS = 1024

/**
 * The first row of a file to have each address, for `duplicate_in_file`, in typed arrays rather than a `Map` of
 * strings: 12 bytes a slot (a 64-bit hash of the address and a row number), at most half of them full, so about
 * 2.4 MB for 100,000 addresses where a `Map<string, number>` held about 12 MB of the upload worker's heap (issue 16).
 *
 * Addresses are compared by the first 64 bits of their SHA-256: two different addresses of one file are taken for the
 * same with a probability of about n² / 2⁶⁵ (3 × 10⁻¹⁰ for 100,000 rows), which is the only cost of not keeping
 * the strings. Callers compare addresses as the directory does, so they pass them lower-cased.
 *
 * @example
 * const firsts = new FirstRowByAddress()
 * firsts.claim('ada@fabrikam.example', 3) // undefined: row 3 is the first to have it
 * firsts.claim('ada@fabrikam.example', 12) // 3
 */
export class FirstRowByAddress {
  /** Two words a slot: the hash's high and low 32 bits; both 0 is an empty slot (the low word's last bit is forced). */
  #hashes = new Uint32Array(INITIAL_SLOTS * 2)
  #rows = new Uint32Array(INITIAL_SLOTS)
  #used = 0

  /** Addresses held. */
  get size(): number {
    return this.#used
  }

  /** The row that first had `address`; `undefined` when none did, and `rowNumber` is recorded as its first. */
  claim(address: string, rowNumber: number): number | undefined {
    const digest = hash('sha256', address, 'buffer')
    const high = digest.readUInt32BE(0)
    const low = (digest.readUInt32BE(4) | 1) >>> 0
    const slot = this.#find(high, low)
    if (this.#hashes[slot * 2 + 1] !== 0) return this.#rows[slot]
    this.#hashes[slot * 2] = high
    this.#hashes[slot * 2 + 1] = low
    this.#rows[slot] = rowNumber
    this.#used += 1
    if (this.#used * 2 > this.#rows.length) this.#grow()
    return undefined
  }

  /** The slot holding this hash, or the empty slot where it goes (linear probing). */
  #find(high: number, low: number): number {
    const mask = this.#rows.length - 1
    let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask
    for (;;) {
      const slotLow = this.#hashes[slot * 2 + 1]
      if (slotLow === 0 || (slotLow === low && this.#hashes[slot * 2] === high)) return slot
      slot = (slot + 1) & mask
    }
  }

  #grow(): void {
    const hashes = this.#hashes
    const rows = this.#rows
    this.#hashes = new Uint32Array(hashes.length * 2)
    this.#rows = new Uint32Array(rows.length * 2)
    for (let slot = 0; slot < rows.length; slot += 1) {
      const low = hashes[slot * 2 + 1] as number
      if (low === 0) continue
      const high = hashes[slot * 2] as number
      const to = this.#find(high, low)
      this.#hashes[to * 2] = high
      this.#hashes[to * 2 + 1] = low
      this.#rows[to] = rows[slot] as number
    }
  }
}
