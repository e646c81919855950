/**
 * A piece of memory shared between threads (a `SharedArrayBuffer`), written again for each thing handed over: an
 * upload's file chunks (main thread → worker) and its batches of row JSON (worker → main thread on PGlite). A view of
 * it sent with `postMessage` is shared, not copied, so handing bytes over allocates nothing on either side; the
 * sender writes again only once the receiver is done with the last bytes (issue 16). It starts at 64 KB (a socket
 * read; 200 typical rows take ~40 KB) and is replaced by a larger one when something does not fit.
 *
 * @example
 * const slot = new SharedSlot()
 * port.postMessage({ type: 'chunk', bytes: slot.write(chunk) }) // valid until the next write
 */
export class SharedSlot {
  #bytes = new Uint8Array(new SharedArrayBuffer(64 * 1024))
  readonly #encoder = new TextEncoder()

  /** `content` (a string as UTF-8) in the slot: a view valid until the next `write`. */
  write(content: Uint8Array | string): Uint8Array {
    const length = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength
    if (length > this.#bytes.byteLength) {
      this.#bytes = new Uint8Array(new SharedArrayBuffer(Math.max(length, this.#bytes.byteLength * 2)))
    }
    if (typeof content === 'string') this.#encoder.encodeInto(content, this.#bytes)
    else this.#bytes.set(content)
    return this.#bytes.subarray(0, length)
  }
}
