import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

/** One message the sink accepted: envelope and the raw RFC 5322 text. */
export interface CapturedMessage {
  from: string
  to: string[]
  raw: string
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:{port}` */
  url: string
  messages: CapturedMessage[]
  close(): Promise<void>
}

/**
 * A real SMTP server on 127.0.0.1 and a random port that keeps every message it accepts, so tests read exactly what
 * nodemailer put on the wire. Extra options (e.g. `onRcptTo`) make it refuse.
 */
export async function startSmtpSink(options: Partial<SMTPServerOptions> = {}): Promise<SmtpSink> {
  const messages: CapturedMessage[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
    ...options,
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A decoded MIME leaf part: its content type and body text. */
export interface MimePart {
  contentType: string
  body: string
}

/**
 * Splits a raw message into its leaf parts and decodes each body (quoted-printable, base64 or 7bit), enough to read
 * what nodemailer sends; nested multiparts are followed.
 */
export function mimeParts(raw: string): MimePart[] {
  const { headers, body } = splitHeaders(raw)
  const contentType = header(headers, 'content-type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1]
  if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((section) => !section.startsWith('--'))
      .flatMap((section) => mimeParts(section.replace(/^\r?\n/, '')))
  }
  const encoding = (header(headers, 'content-transfer-encoding') ?? '7bit').toLowerCase()
  return [
    { contentType: contentType.split(';')[0]?.trim().toLowerCase() ?? '', body: decode(body, encoding) },
  ]
}

/** A header of the raw message's top level, unfolded (RFC 2047 encoded words left as they are). */
export function topHeader(raw: string, name: string): string | undefined {
  return header(splitHeaders(raw).headers, name)
}

/**
 * A header of the raw message's top level, unfolded and with its RFC 2047 encoded words (`=?UTF-8?B?…?=`,
 * `=?UTF-8?Q?…?=`) decoded: what a mail client shows.
 */
export function decodedHeader(raw: string, name: string): string | undefined {
  const value = topHeader(raw, name)
  if (value === undefined) return undefined
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g
  // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2); a character may be split
  // between two words, so a run of words is decoded to bytes first, then read as UTF-8.
  return value.replace(/=\?[^?]+\?[BbQq]\?[^?]*\?=(?:\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) =>
    Buffer.concat(
      [...run.matchAll(word)].map(([, charset = '', encoding = '', text = '']) => {
        if (charset.toLowerCase() !== 'utf-8') throw new Error(`unexpected charset ${charset}`)
        if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64')
        const latin1 = text
          .replaceAll('_', ' ')
          .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
        return Buffer.from(latin1, 'latin1')
      }),
    ).toString('utf8'),
  )
}

function splitHeaders(raw: string): { headers: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw)
  if (!match) return { headers: raw, body: '' }
  return { headers: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) }
}

function header(headers: string, name: string): string | undefined {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded
    .split(/\r?\n/)
    .find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line?.slice(name.length + 1).trim()
}

/** Decodes a part body; SMTP carries CRLF line ends, given back as `\n`. */
function decode(body: string, encoding: string): string {
  return decodeTransfer(body, encoding).replace(/\r\n/g, '\n')
}

function decodeTransfer(body: string, encoding: string): string {
  const trimmed = body.replace(/\r?\n$/, '')
  if (encoding === 'base64') return Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const bytes = trimmed
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return trimmed
}
