/**
 * Writes one statement as PostgreSQL's extended-query messages — Parse, Bind, Execute, Sync — into a buffer it keeps
 * for the next statement, so that sending a large parameter allocates nothing per call (issue 16: PGlite's own
 * `query()` serialises each parameter through growing buffers, six round trips and a copy each way, which on a
 * 100,000-row upload made tens of megabytes of short-lived native memory on the main thread). Every parameter is
 * sent in text format; the statement's casts give their types. Message layouts:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 *
 * @example
 * const messages = new ExtendedQueryWriter()
 * const bytes = messages.write('SELECT $1::text, $2::json', ['job-1'], jsonUtf8)
 * await pglite.execProtocol(bytes) // valid until the next `write`
 */
export class ExtendedQueryWriter {
  #bytes = new Uint8Array(64 * 1024)
  #view = new DataView(this.#bytes.buffer)
  #offset = 0
  readonly #encoder = new TextEncoder()

  /**
   * The messages for `sql` with `textParams` and then `lastParam` (text already encoded as UTF-8) as its parameters,
   * in this writer's buffer: valid until the next call.
   */
  write(sql: string, textParams: readonly string[], lastParam: Uint8Array): Uint8Array {
    this.#reserve(
      64 +
        3 * sql.length +
        textParams.reduce((sum, param) => sum + 4 + 3 * param.length, 0) +
        lastParam.byteLength,
    )
    this.#offset = 0
    // Parse: unnamed statement, its text, no parameter types given (the casts in the text give them).
    this.#message('P', () => {
      this.#cString('')
      this.#cString(sql)
      this.#int16(0)
    })
    // Bind: unnamed portal and statement; no format codes (all text); the parameters; no result format codes.
    this.#message('B', () => {
      this.#cString('')
      this.#cString('')
      this.#int16(0)
      this.#int16(textParams.length + 1)
      for (const param of textParams) this.#lengthPrefixed(() => this.#text(param))
      this.#lengthPrefixed(() => {
        this.#bytes.set(lastParam, this.#offset)
        this.#offset += lastParam.byteLength
      })
      this.#int16(0)
    })
    // Execute: the unnamed portal, every row.
    this.#message('E', () => {
      this.#cString('')
      this.#int32(0)
    })
    this.#message('S', () => {})
    return this.#bytes.subarray(0, this.#offset)
  }

  /** Room for at least `size` bytes (UTF-8 takes at most three bytes for each UTF-16 unit). */
  #reserve(size: number): void {
    if (this.#bytes.byteLength >= size) return
    this.#bytes = new Uint8Array(Math.max(size, this.#bytes.byteLength * 2))
    this.#view = new DataView(this.#bytes.buffer)
  }

  /** A message: its type byte, its length (itself included), then what `body` writes. */
  #message(type: string, body: () => void): void {
    this.#bytes[this.#offset] = type.charCodeAt(0)
    const lengthAt = this.#offset + 1
    this.#offset += 5
    body()
    this.#view.setInt32(lengthAt, this.#offset - lengthAt)
  }

  #lengthPrefixed(body: () => void): void {
    const lengthAt = this.#offset
    this.#offset += 4
    body()
    this.#view.setInt32(lengthAt, this.#offset - lengthAt - 4)
  }

  #text(value: string): void {
    this.#offset += this.#encoder.encodeInto(value, this.#bytes.subarray(this.#offset)).written
  }

  #cString(value: string): void {
    this.#text(value)
    this.#bytes[this.#offset++] = 0
  }

  #int16(value: number): void {
    this.#view.setInt16(this.#offset, value)
    this.#offset += 2
  }

  #int32(value: number): void {
    this.#view.setInt32(this.#offset, value)
    this.#offset += 4
  }
}
