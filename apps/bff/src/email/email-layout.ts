import { DEFAULT_EMAIL_BRANDING } from './branding.js'
import { contrast, escapeHtml, readableOn } from './invitation-template.js'

/** What every email the BFF sends shows around its words: the app's logo or name, its colour, the direction. */
export interface EmailFrame {
  /** The message's language (`lang`) and direction (`dir`). */
  locale: string
  dir: 'ltr' | 'rtl'
  /** The `<title>`, unescaped. */
  subject: string
  /** A valid `#rrggbb` colour: the top border and the buttons. */
  brandColor: string
  /** The app's name, unescaped; `null`: none shown (unless a logo stands for it). */
  app: string | null
  /** An https address of the logo, already checked; `null`: the name is shown instead. */
  logoUrl: string | null
}

/** Inline styles shared by the emails' parts. */
export const EMAIL_STYLE = { small: 'font-size:13px;color:#616161' } as const

/**
 * The branded HTML document around `body` (lines of HTML, already escaped; empty lines are dropped): one layout for
 * the invitation and the governance notices, so they look alike in the guest's and the sponsor's mailboxes.
 *
 * @example
 * emailDocument({ locale: 'en', dir: 'ltr', subject: 'Hi', brandColor: '#0f6cbd', app: 'Contoso', logoUrl: null }, ['<p>Hello</p>'])
 */
export function emailDocument(frame: EmailFrame, body: readonly string[]): string {
  const { dir, locale, brandColor: brand } = frame
  const start = textStart(dir)
  const header = frame.logoUrl
    ? `<p style="margin:0 0 20px"><img src="${escapeHtml(frame.logoUrl)}" alt="${frame.app ? escapeHtml(frame.app) : ''}" height="40" style="display:block;height:40px;width:auto;border:0"></p>`
    : frame.app
      ? `<p style="margin:0 0 20px;font-size:20px;font-weight:600"><bdi>${escapeHtml(frame.app)}</bdi></p>`
      : ''
  return `${[
    '<!doctype html>',
    `<html dir="${dir}" lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(frame.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:24px 12px;background:#f5f5f5">',
    `<div dir="${dir}" lang="${locale}" style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-top:4px solid ${brand};font-family:'Segoe UI',Arial,sans-serif;font-size:15px;line-height:1.5;color:#242424;text-align:${start}">`,
    header,
    ...body,
    '</div>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n')}\n`
}

/** A call-to-action button in the brand colour, its text readable on it. `href` unescaped; `label` escaped HTML. */
export function emailButton(href: string, label: string, brandColor: string): string {
  return `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="display:inline-block;background:${brandColor};color:${readableOn(brandColor)};padding:10px 16px;border-radius:4px;text-decoration:none;font-weight:600">${label}</a></p>`
}

/** The brand colour for links on white: itself when it reads well there (4.5:1), else the default. */
export function emailLinkColor(brandColor: string): string {
  return contrast(brandColor, '#ffffff') >= 4.5 ? brandColor : DEFAULT_EMAIL_BRANDING.brandColor
}

/** `left`, or `right` in a right-to-left language. */
export function textStart(dir: 'ltr' | 'rtl'): 'left' | 'right' {
  return dir === 'rtl' ? 'right' : 'left'
}
