import { randomBytes, timingSafeEqual } from 'node:crypto'

/** Where a redeem link points: the invitation (`user` in the URL) of a tenant, and its secret ticket. */
export interface RedeemTarget {
  tenantId: string
  invitationId: string
  ticket: string
}

const INNER_PATH = '/invitations/redeem/'

/** A fresh redemption ticket: base64 like Microsoft's, so it needs the same double URL-encoding. */
export function newTicket(): string {
  return randomBytes(32).toString('base64')
}

/**
 * The `inviteRedeemUrl` of an invitation, shaped like Microsoft's
 * `https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%2f%3ftenant%3d…%26user%3d…%26ticket%3d…%26ver%3d2.0`
 * but on the emulator's host: `{baseUrl}/redeem?rd=` + the encoded `{baseUrl}/invitations/redeem/?tenant&user&ticket&ver`.
 * The ticket is encoded twice inside `rd` and the escapes are lower case, as in the real links.
 */
export function buildInviteRedeemUrl(baseUrl: string, target: RedeemTarget): string {
  const inner =
    `${baseUrl}${INNER_PATH}?tenant=${target.tenantId}&user=${target.invitationId}` +
    `&ticket=${dotNetUrlEncode(dotNetUrlEncode(target.ticket))}&ver=2.0`
  return `${baseUrl}/redeem?rd=${dotNetUrlEncode(inner)}`
}

/**
 * Reads the target from the inner URL (the `rd` value once decoded, or the `/invitations/redeem/` URL itself).
 * Returns `undefined` unless it points at this emulator's redeem path with all parts present.
 */
export function parseRedeemTarget(baseUrl: string, innerUrl: unknown): RedeemTarget | undefined {
  if (typeof innerUrl !== 'string') return undefined
  let url: URL
  try {
    url = new URL(innerUrl)
  } catch {
    return undefined
  }
  if (url.origin !== new URL(baseUrl).origin || url.pathname.replace(/\/?$/, '/') !== INNER_PATH)
    return undefined
  const tenantId = url.searchParams.get('tenant')
  const invitationId = url.searchParams.get('user')
  const encodedTicket = url.searchParams.get('ticket')
  if (!tenantId || !invitationId || !encodedTicket || url.searchParams.get('ver') !== '2.0') return undefined
  try {
    return {
      tenantId: tenantId.toLowerCase(),
      invitationId: invitationId.toLowerCase(),
      ticket: decodeURIComponent(encodedTicket),
    }
  } catch {
    return undefined
  }
}

/** Compares tickets without leaking, through timing, how much of a guess was right. */
export function ticketsMatch(expected: string, presented: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** .NET's `HttpUtility.UrlEncode` writes lower-case escapes; Microsoft's redeem links show them. */
function dotNetUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())
}
