import { invisibleCharacters } from '@entra-share/contracts'
import { settings as s } from '../settings.js'

/** How the host brands the BFF's own invitation email (`ENTRA_SHARE_EMAIL_*`; email mode `smtp`). */
export interface EmailBranding {
  /** The app's name, in the subject, heading and text; `null`: the email invites the guest "to collaborate". */
  appName: string | null
  /** An https image shown at the top of the HTML part; `null`: none. */
  logoUrl: string | null
  /** `#rrggbb`: the button, the links and the accent line. @default '#0f6cbd' */
  brandColor: string
  /** Where the guest finds the app once they have accepted; `null`: the invitation's redirect URL. */
  appUrl: string | null
}

export const DEFAULT_EMAIL_BRANDING: EmailBranding = {
  appName: null,
  logoUrl: null,
  brandColor: s.emailBrandColor.default,
  appUrl: null,
}

/** A brand colour: `#rrggbb`. */
export const BRAND_COLOR = /^#[0-9a-f]{6}$/i

/** The longest app name accepted. */
export const APP_NAME_MAX_LENGTH = 100

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * The branding set in `ENTRA_SHARE_EMAIL_*` variables over the defaults; each bad value is one line in `problems`
 * naming the variable. `loadConfig` reads it with the rest of the configuration, in every email mode (a mistake
 * should not wait for the switch to `smtp`).
 *
 * @example
 * readEmailBranding({ ENTRA_SHARE_EMAIL_APP_NAME: 'Contoso Projects' }, problems)
 * // { appName: 'Contoso Projects', logoUrl: null, brandColor: '#0f6cbd', appUrl: null }
 */
export function readEmailBranding(
  env: Record<string, string | undefined>,
  problems: string[],
): EmailBranding {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const branding = { ...DEFAULT_EMAIL_BRANDING }

  const appName = read(s.emailAppName.variable)
  if (appName !== undefined) {
    if (
      LINE_BREAKS_AND_CONTROLS.test(appName) ||
      appName.replace(invisibleCharacters, '') !== appName ||
      appName.length > APP_NAME_MAX_LENGTH
    )
      problems.push(
        `${s.emailAppName.variable} must be one line of at most ${APP_NAME_MAX_LENGTH} characters, without control or invisible characters (got ${appName.length} characters).`,
      )
    else branding.appName = appName
  }

  const logoUrl = read(s.emailLogoUrl.variable)
  if (logoUrl !== undefined) {
    const problem = urlProblem(logoUrl, false)
    if (problem) problems.push(`${s.emailLogoUrl.variable} ${problem}`)
    else branding.logoUrl = logoUrl
  }

  const brandColor = read(s.emailBrandColor.variable)
  if (brandColor !== undefined) {
    if (!BRAND_COLOR.test(brandColor))
      problems.push(
        `${s.emailBrandColor.variable} must be a colour written #rrggbb, for example ${s.emailBrandColor.default} (got ${brandColor}).`,
      )
    else branding.brandColor = brandColor.toLowerCase()
  }

  const appUrl = read(s.emailAppUrl.variable)
  if (appUrl !== undefined) {
    const problem = urlProblem(appUrl, s.emailAppUrl.allowLoopbackHttp)
    if (problem) problems.push(`${s.emailAppUrl.variable} ${problem}`)
    else branding.appUrl = appUrl
  }
  return branding
}

/** Why `value` is not an https URL (`http:` on a loopback host when allowed), or `undefined` when it is one. */
function urlProblem(value: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `must be an absolute URL (got ${value}).`
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  if (url.protocol === 'https:' || (allowLoopbackHttp && loopback && url.protocol === 'http:'))
    return undefined
  return `must be an https URL (got ${value}).`
}
