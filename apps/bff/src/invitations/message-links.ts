import { createRequire } from 'node:module'
import { invisibleCharacters } from '@entra-share/contracts'
import LinkifyIt from 'linkify-it'

/**
 * Finds the links in a personal message the way a mail client would turn them into something to click, with
 * linkify-it (markdown-it's link detector): URLs with a scheme (`https:`, `http:`, `ftp:`, `mailto:`, `//`), and
 * bare hosts (`www.x.com`, `evil.example/login`, `192.0.2.1/login`) whose top-level domain is a real one.
 *
 * - linkify-it only knows a few generic TLDs out of the box (`.com`, `.org`…, 2-letter country codes), so it is
 *   given IANA's whole list (the `tlds` package: `.online`, `.zip`, `.app`…) plus the special-use names mail
 *   clients may still link (`.example`, `.test`, `.local`, …).
 * - A bare email address is not a link (`write to grace@contoso.example` passes); a `mailto:` URI is.
 * - It looks at the message as a reader sees it: every invisible character removed (zero-width joiners included,
 *   which the message itself may keep between letters), NFKC-normalised (fullwidth `ｅｖｉｌ．ｃｏｍ` is
 *   `evil.com`) and with the ideographic full stops that IDNA reads as dots (`。`, `｡`, `．`) made dots.
 */

// `tlds` ships a JSON file; require() reads it on every supported Node without an import attribute.
const ianaTlds = createRequire(import.meta.url)('tlds') as string[]

/** Special-use names outside the root zone (RFC 2606, 6761, 6762, 7686, 9476; ICANN's `.internal`). */
const SPECIAL_USE_TLDS = ['example', 'test', 'invalid', 'localhost', 'local', 'onion', 'alt', 'internal']

const linkify = new LinkifyIt(undefined, { fuzzyLink: true, fuzzyEmail: false, fuzzyIP: true }).tlds(
  [...ianaTlds, ...SPECIAL_USE_TLDS],
  false,
)

const IDEOGRAPHIC_FULL_STOPS = /[\u3002\uFF0E\uFF61]/g
const JOINERS = /[\u200C\u200D]/g

/** One link found in a message. */
export interface MessageLink {
  /** The link as the reader sees it (normalised as described above). */
  text: string
  /** linkify-it's URL for it: `text` with `http://` in front of a bare host. */
  url: string
  /** `true` when the text names its scheme (`https://…`, `mailto:…`, `//…`), `false` for a bare host. */
  hasScheme: boolean
}

/**
 * Every link in `message`, in order.
 *
 * @example
 * findMessageLinks('Sign in at evil.example/login') // [{ text: 'evil.example/login', url: 'http://evil.example/login', hasScheme: false }]
 * findMessageLinks('Write to grace@contoso.example') // []
 */
export function findMessageLinks(message: string): MessageLink[] {
  const visible = message
    .replace(invisibleCharacters, '')
    .replace(JOINERS, '')
    .normalize('NFKC')
    .replace(IDEOGRAPHIC_FULL_STOPS, '.')
  return (linkify.match(visible) ?? []).map((match) => ({
    text: match.text,
    url: match.url,
    hasScheme: match.schema !== '',
  }))
}

/**
 * A link fit to quote back in a problem's detail: only visible characters (letters, marks, digits, punctuation,
 * symbols: no spaces, controls, invisible or unpaired characters), at most `max` code points, an ellipsis marking
 * a cut.
 *
 * @example
 * quoteLink('https://evil.example/' + 'a'.repeat(100)) // 'https://evil.example/aaaa…' (60 characters)
 */
export function quoteLink(link: string, max = 60): string {
  const characters = Array.from(link.replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S}]/gu, ''))
  return characters.length <= max ? characters.join('') : `${characters.slice(0, max - 1).join('')}…`
}
