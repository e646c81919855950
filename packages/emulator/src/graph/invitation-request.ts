/** A cc recipient as Graph echoes it: `{ emailAddress: { name, address } }`. */
export interface Recipient {
  emailAddress: { name: string | null; address: string | null }
}

/** `invitedUserMessageInfo` as Graph echoes it in the 201 body. */
export interface InvitedUserMessageInfo {
  messageLanguage: string | null
  ccRecipients: Recipient[]
  customizedMessageBody: string | null
}

/** A validated `POST /invitations` body with Graph's defaults filled in. */
export interface InvitationRequest {
  invitedUserEmailAddress: string
  inviteRedirectUrl: string
  invitedUserDisplayName: string | null
  sendInvitationMessage: boolean
  invitedUserType: 'Guest' | 'Member'
  invitedUserMessageInfo: InvitedUserMessageInfo
  resetRedemption: boolean
  /** `invitedUser.id`: the user whose redemption `resetRedemption` resets. */
  invitedUserId: string | null
  /** `invitedUserSponsors[].id` (lower case, without duplicates); `null` when the body names none. */
  invitedUserSponsors: string[] | null
}

export type InvitationRequestResult =
  | { ok: true; request: InvitationRequest }
  | { ok: false; message: string }

/** Graph shows one empty recipient when none was given (see the 201 example of "Create invitation"). */
const NO_CC_RECIPIENTS: Recipient[] = [{ emailAddress: { name: null, address: null } }]

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Sponsors a guest may have (https://learn.microsoft.com/entra/external-id/b2b-sponsors: "a maximum of five"). */
const MAX_SPONSORS = 5

/**
 * Validates a `POST /invitations` body. Required: `invitedUserEmailAddress` (an address Graph accepts) and
 * `inviteRedirectUrl` (an absolute http(s) URL). `ccRecipients` holds at most one recipient, as Graph supports.
 *
 * @example
 * const result = parseInvitationRequest({ invitedUserEmailAddress: 'ada@fabrikam.example', inviteRedirectUrl: 'https://app.example' })
 */
export function parseInvitationRequest(body: unknown): InvitationRequestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'The request body must be a JSON invitation object.' }
  }
  const input = body as Record<string, unknown>
  const email = input.invitedUserEmailAddress
  if (typeof email !== 'string' || email.trim() === '') {
    return { ok: false, message: 'The invitedUserEmailAddress property is required.' }
  }
  if (!isInvitableEmailAddress(email.trim())) {
    return { ok: false, message: `The email address '${email}' is not valid for an invitation.` }
  }
  const redirect = input.inviteRedirectUrl
  if (typeof redirect !== 'string' || redirect.trim() === '') {
    return { ok: false, message: 'The inviteRedirectUrl property is required.' }
  }
  if (!isAbsoluteHttpUrl(redirect))
    return { ok: false, message: `The inviteRedirectUrl '${redirect}' is not a valid URL.` }

  const displayName = input.invitedUserDisplayName ?? null
  if (displayName !== null && typeof displayName !== 'string') return invalid('invitedUserDisplayName')
  const send = input.sendInvitationMessage ?? false
  if (typeof send !== 'boolean') return invalid('sendInvitationMessage')
  const reset = input.resetRedemption ?? false
  if (typeof reset !== 'boolean') return invalid('resetRedemption')
  const userType = parseUserType(input.invitedUserType)
  if (!userType) return invalid('invitedUserType')
  const invitedUserId = parseInvitedUserId(input.invitedUser)
  if (invitedUserId === undefined) return invalid('invitedUser')
  if (reset && !invitedUserId) {
    return { ok: false, message: 'The invitedUser.id property is required when resetRedemption is true.' }
  }
  const messageInfo = parseMessageInfo(input.invitedUserMessageInfo)
  if (typeof messageInfo === 'string') return { ok: false, message: messageInfo }
  const sponsors = parseSponsors(input.invitedUserSponsors)
  if (sponsors === undefined) return invalid('invitedUserSponsors')
  if (sponsors && sponsors.length > MAX_SPONSORS) {
    return { ok: false, message: `A user can have at most ${MAX_SPONSORS} sponsors.` }
  }

  return {
    ok: true,
    request: {
      invitedUserEmailAddress: email.trim(),
      inviteRedirectUrl: redirect,
      invitedUserDisplayName: displayName,
      sendInvitationMessage: send,
      invitedUserType: userType,
      invitedUserMessageInfo: messageInfo,
      resetRedemption: reset,
      invitedUserId,
      invitedUserSponsors: sponsors,
    },
  }
}

/**
 * Graph's rules for `invitedUserEmailAddress`: the local part must not contain ~ ! # $ % ^ & * ( ) + = [ ] { } \ / | ; : " < > ? ,
 * and may not start or end with a period or hyphen; the domain needs at least two labels.
 */
export function isInvitableEmailAddress(address: string): boolean {
  const at = address.lastIndexOf('@')
  if (at <= 0 || address.indexOf('@') !== at) return false
  const local = address.slice(0, at)
  const domain = address.slice(at + 1)
  if (/[~!#$%^&*()+=[\]{}\\/|;:"<>?,\s]/.test(local) || /^[.-]|[.-]$/.test(local)) return false
  return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain)
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

function parseUserType(value: unknown): 'Guest' | 'Member' | undefined {
  if (value === undefined || value === null) return 'Guest'
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  return lower === 'guest' ? 'Guest' : lower === 'member' ? 'Member' : undefined
}

/** `null` when absent, `undefined` when malformed. */
function parseInvitedUserId(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) return undefined
  const id = (value as { id?: unknown }).id
  if (id === undefined || id === null) return null
  return typeof id === 'string' && GUID.test(id) ? id.toLowerCase() : undefined
}

/**
 * `invitedUserSponsors`: directory objects named by `id` (`[{ "id": "…" }]`). `null` when absent or empty (the inviter
 * becomes the sponsor), `undefined` when malformed.
 */
function parseSponsors(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value)) return undefined
  const ids: string[] = []
  for (const entry of value) {
    const id = (entry as { id?: unknown } | null)?.id
    if (typeof id !== 'string' || !GUID.test(id)) return undefined
    if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase())
  }
  return ids.length ? ids : null
}

/** The echoed message info, or a validation message. */
function parseMessageInfo(value: unknown): InvitedUserMessageInfo | string {
  if (value === undefined || value === null) {
    return {
      messageLanguage: null,
      ccRecipients: structuredClone(NO_CC_RECIPIENTS),
      customizedMessageBody: null,
    }
  }
  if (typeof value !== 'object' || Array.isArray(value)) return invalidMessage('invitedUserMessageInfo')
  const info = value as Record<string, unknown>
  const language = info.messageLanguage ?? null
  if (language !== null && typeof language !== 'string') return invalidMessage('messageLanguage')
  const body = info.customizedMessageBody ?? null
  if (body !== null && typeof body !== 'string') return invalidMessage('customizedMessageBody')
  const cc = info.ccRecipients ?? []
  if (!Array.isArray(cc)) return invalidMessage('ccRecipients')
  if (cc.length > 1) return 'Only one cc recipient is supported in invitedUserMessageInfo.ccRecipients.'
  const recipients: Recipient[] = []
  for (const entry of cc) {
    const emailAddress = (entry as { emailAddress?: { name?: unknown; address?: unknown } } | null)
      ?.emailAddress
    const address = emailAddress?.address
    const name = emailAddress?.name ?? null
    if (
      typeof address !== 'string' ||
      !isInvitableEmailAddress(address) ||
      (name !== null && typeof name !== 'string')
    ) {
      return invalidMessage('ccRecipients')
    }
    recipients.push({ emailAddress: { name, address } })
  }
  return {
    messageLanguage: language,
    ccRecipients: recipients.length ? recipients : structuredClone(NO_CC_RECIPIENTS),
    customizedMessageBody: body,
  }
}

function invalid(property: string): { ok: false; message: string } {
  return { ok: false, message: invalidMessage(property) }
}

function invalidMessage(property: string): string {
  return `Invalid value specified for property '${property}' of resource 'Invitation'.`
}
