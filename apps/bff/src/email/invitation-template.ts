import { invisibleCharacters } from '@entra-share/contracts'
import { BRAND_COLOR, DEFAULT_EMAIL_BRANDING, type EmailBranding } from './branding.js'
import { EMAIL_STYLE, emailButton, emailDocument, emailLinkColor, textStart } from './email-layout.js'
import {
  type EmailLocale,
  type InvitationStrings,
  type InvitationVariants,
  invitationStrings,
  resolveEmailLocale,
} from './locales.js'
import type { InvitationEmail } from './types.js'

/** The rendered parts of one invitation email. */
export interface RenderedInvitation {
  /** The language it is written in: the HTML's `lang` and the message's `Content-Language`. */
  locale: EmailLocale
  subject: string
  text: string
  html: string
}

/**
 * Escapes text for HTML element content and double-quoted attribute values. Every value that reaches the HTML part
 * goes through it: the personal message is written by the inviter and read by someone else.
 *
 * @example
 * escapeHtml('<a href="x">') // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/**
 * The invitation email in the request's language (`email.locale`, BCP 47 matched, `en` otherwise), branded by the
 * host: subject, plain-text part and HTML part. Every inserted value is cleaned and escaped for where it goes:
 *
 * - names, addresses and the app name are made one line (control characters and line breaks become spaces,
 *   invisible and bidi characters are removed), so none can start a header or fake a line of the email;
 * - in the HTML part every value is HTML-escaped and isolated (`<bdi>`), the personal message keeps its line breaks
 *   (`<br>`) and never becomes markup or a link; the redeem URL is the button, the app's URL the only other link;
 * - in a right-to-left language (`ar`) the subject's and text part's values are isolated (U+2068 … U+2069) so a
 *   Latin name or address keeps its order.
 *
 * Branding: the app name (subject, heading, text), the logo (https only), the brand colour (`#rrggbb`: button, links,
 * accent line; the button's text white or black, whichever contrasts more) and the app's URL (`branding.appUrl`, else
 * `email.appUrl`; http(s) only). Unsafe or invalid values are left out, the colour falls back to the default.
 *
 * @example
 * renderInvitation({ …email, locale: 'de-AT' }, { appName: 'Contoso Projects' }).subject
 * // 'Megan Bowen hat Sie zu Contoso Projects eingeladen'
 */
export function renderInvitation(
  email: InvitationEmail,
  branding: Partial<EmailBranding> = {},
): RenderedInvitation {
  const locale = resolveEmailLocale(email.locale)
  const view = viewOf(email, branding, invitationStrings[locale])
  const plain = view.strings.dir === 'rtl' ? ISOLATED : PLAIN
  const subject = oneLine(variant(view.strings.subject, inviter(view, plain, false), view.app, plain))
  return { locale, subject, text: textPart(view, plain), html: htmlPart(view, locale, subject) }
}

/** What the email shows, cleaned: names one line, URLs checked, the colour valid. */
interface View {
  strings: InvitationStrings
  guest: string | null
  inviterName: string | null
  inviterEmail: string | null
  app: string | null
  message: string | null
  redeemUrl: string
  appUrl: string | null
  logoUrl: string | null
  brandColor: string
}

function viewOf(email: InvitationEmail, branding: Partial<EmailBranding>, strings: InvitationStrings): View {
  const color = branding.brandColor
  return {
    strings,
    guest: oneLineValue(email.guestDisplayName),
    inviterName: oneLineValue(email.inviterName),
    inviterEmail: oneLineValue(email.inviterEmail),
    app: oneLineValue(branding.appName),
    message: email.message ? email.message.replace(/\r\n?/g, '\n') : null,
    redeemUrl: email.inviteRedeemUrl,
    appUrl: webAddress(branding.appUrl, false) ?? webAddress(email.appUrl, false),
    logoUrl: webAddress(branding.logoUrl, true),
    brandColor: color && BRAND_COLOR.test(color) ? color.toLowerCase() : DEFAULT_EMAIL_BRANDING.brandColor,
  }
}

/** How the wording (`literal`) and the inserted values are written into one part. */
interface Encoding {
  literal(text: string): string
  value(text: string): string
}

const PLAIN: Encoding = { literal: (text) => text, value: (text) => text }
/** Right-to-left plain text: each value between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE. */
const ISOLATED: Encoding = { literal: (text) => text, value: (text) => `\u2068${text}\u2069` }
const HTML: Encoding = { literal: escapeHtml, value: (text) => `<bdi>${escapeHtml(text)}</bdi>` }

/** The wording of one part, values inserted. */
interface Words {
  greeting: string
  intro: string
  messageHeading: string
  acceptPrompt: string
  acceptButton: string
  copyHint: string
  appUrlPrompt: string
  ignore: string
}

function words(view: View, encoding: Encoding): Words {
  const t = view.strings
  const say = (template: string, values: Record<string, string> = {}) =>
    fill(template, values, encoding.literal)
  const shortInviter = inviter(view, encoding, false)
  return {
    greeting: view.guest ? say(t.greetingNamed, { guest: encoding.value(view.guest) }) : say(t.greeting),
    intro: variant(t.intro, inviter(view, encoding, true), view.app, encoding),
    messageHeading: shortInviter ? say(t.messageFrom, { inviter: shortInviter }) : say(t.message),
    acceptPrompt: say(t.acceptPrompt),
    acceptButton: say(t.acceptButton),
    copyHint: say(t.copyHint),
    appUrlPrompt: view.app ? say(t.appUrl, { app: encoding.value(view.app) }) : say(t.appUrlUnnamed),
    ignore: say(t.ignore),
  }
}

function textPart(view: View, encoding: Encoding): string {
  const w = words(view, encoding)
  const lines = [w.greeting, '', w.intro]
  if (view.message) lines.push('', w.messageHeading, view.message)
  lines.push('', w.acceptPrompt, view.redeemUrl)
  if (view.appUrl) lines.push('', w.appUrlPrompt, view.appUrl)
  lines.push('', w.ignore)
  return `${lines.join('\n')}\n`
}

function htmlPart(view: View, locale: EmailLocale, subject: string): string {
  const w = words(view, HTML)
  const { dir } = view.strings
  const brand = view.brandColor
  const message = view.message
    ? `<p style="margin:16px 0 4px">${w.messageHeading}</p>
<blockquote dir="auto" style="margin:0;padding:8px 12px;border-${textStart(dir)}:3px solid #8a8886">${escapeHtml(view.message).replaceAll('\n', '<br>\n')}</blockquote>`
    : ''
  const appUrl = view.appUrl
    ? `<p>${w.appUrlPrompt}<br><a href="${escapeHtml(view.appUrl)}" dir="ltr" style="color:${emailLinkColor(brand)}">${escapeHtml(view.appUrl)}</a></p>`
    : ''
  return emailDocument({ locale, dir, subject, brandColor: brand, app: view.app, logoUrl: view.logoUrl }, [
    `<p>${w.greeting}</p>`,
    `<p>${w.intro}</p>`,
    message,
    emailButton(view.redeemUrl, w.acceptButton, brand),
    `<p style="${EMAIL_STYLE.small}">${w.copyHint}<br><span dir="ltr" style="word-break:break-all">${escapeHtml(view.redeemUrl)}</span></p>`,
    appUrl,
    `<p style="${EMAIL_STYLE.small}">${w.ignore}</p>`,
  ])
}

/** The inviter as the language writes them: by name, by address, or (`withAddress`) both; `null` when unknown. */
function inviter(view: View, encoding: Encoding, withAddress: boolean): string | null {
  const { strings: t, inviterName: name, inviterEmail: email } = view
  if (name && email && withAddress)
    return fill(
      t.inviterNameAndAddress,
      { name: encoding.value(name), email: encoding.value(email) },
      encoding.literal,
    )
  if (name) return fill(t.inviterName, { name: encoding.value(name) }, encoding.literal)
  if (email) return fill(t.inviterAddress, { email: encoding.value(email) }, encoding.literal)
  return null
}

/** The variant for what is known; `inviterPhrase` is already encoded, `app` is not. */
function variant(
  variants: InvitationVariants,
  inviterPhrase: string | null,
  app: string | null,
  encoding: Encoding,
): string {
  const values: Record<string, string> = {}
  if (inviterPhrase !== null) values.inviter = inviterPhrase
  if (app !== null) values.app = encoding.value(app)
  const template =
    inviterPhrase !== null
      ? app !== null
        ? variants.inviterAndApp
        : variants.inviter
      : app !== null
        ? variants.app
        : variants.neither
  return fill(template, values, encoding.literal)
}

/**
 * Writes `template` with its wording through `literal` and each `{placeholder}` replaced by its (already encoded)
 * value. A placeholder without a value is a mistake in the translations: it throws rather than send `{app}`.
 */
export function fill(
  template: string,
  values: Record<string, string>,
  literal: (text: string) => string,
): string {
  return template
    .split(/(\{[a-z]+\})/)
    .map((part, index) => {
      if (index % 2 === 0) return literal(part)
      const value = values[part.slice(1, -1)]
      if (value === undefined) throw new Error(`The email wording '${template}' has no value for ${part}.`)
      return value
    })
    .join('')
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const CONTROLS_AND_LINE_BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g

/** A name, address or app name on one line: controls and line breaks become spaces, invisible characters go. */
export function oneLineValue(value: string | null | undefined): string | null {
  const cleaned = (value ?? '')
    .replace(CONTROLS_AND_LINE_BREAKS, ' ')
    .replace(invisibleCharacters, '')
    .replace(/\s+/g, ' ')
    .trim()
  return cleaned === '' ? null : cleaned
}

/** The subject on one line, whatever went into it. */
export function oneLine(value: string): string {
  return value.replace(CONTROLS_AND_LINE_BREAKS, ' ').trim()
}

/** `value` when it is an https URL (or, unless `httpsOnly`, an http one), else `null`. */
export function webAddress(value: string | null | undefined, httpsOnly: boolean): string | null {
  if (!value) return null
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || (!httpsOnly && protocol === 'http:') ? value : null
  } catch {
    return null
  }
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(color: string): number {
  const channel = (at: number) => {
    const c = Number.parseInt(color.slice(at, at + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (lighter + 0.05) / (darker + 0.05)
}

/** White or black, whichever reads better on `background`. */
export function readableOn(background: string): string {
  return contrast(background, '#ffffff') >= contrast(background, '#000000') ? '#ffffff' : '#000000'
}
