import {
  type CreateInvitationRequest,
  constraints,
  controlCharacters,
  emailDomain,
  invisibleCharacters,
  isValidEmail,
} from '@entra-share/contracts'
import type { ApprovalPolicy, BffConfig, GroupPreset } from '../config.js'
import type { Caller } from '../identity/caller.js'
import { ProblemError } from '../platform/problem-error.js'
import { quoteInput } from '../platform/storable-text.js'
import { accessDaysFor } from './governance-policy.js'
import { findMessageLinks, quoteLink } from './message-links.js'
import type { GuestAttributes } from './types.js'

/**
 * The saga's local policy, checked before Graph is called: pure functions of the configuration and the request
 * (no I/O), each throwing a catalogued {@link ProblemError}.
 */

/** What pre-flight decided: the values the saga sends to Graph and stores. */
export interface InvitationPlan {
  /** The address, trimmed (case kept: Graph compares case-insensitively and shows it as typed). */
  email: string
  /** Lower-cased domain of {@link email}. */
  domain: string
  redirectUrl: string
  displayName: string | null
  message: string | null
  preset: GroupPreset | null
  /** Preset attributes overlaid with the request's. */
  attributes: GuestAttributes
  groupIds: string[]
  /** The preset's approval policy when the invitation must wait for an approver; `null` when it goes ahead. */
  approval: ApprovalPolicy | null
  /** The reason given for the approvers (sanitised); `null` without an approval. */
  reason: string | null
  /** Days of access (the request's, bounded by the preset's, or the preset's); `null`: no expiry. */
  accessDays: number | null
}

/**
 * How pre-flight treats a preset with an approval policy: `request` (a single invitation: it waits for an approver),
 * `refuse` (a bulk row or a host's provisioning call: `approval_required`), `granted` (an approver approved it).
 */
export type ApprovalMode = 'request' | 'refuse' | 'granted'

type PolicyConfig = Pick<
  BffConfig,
  'redirectOrigins' | 'defaultRedirectUrl' | 'allowedDomains' | 'blockedDomains' | 'presets'
> &
  /** Absent: `none`, the default of `ENTRA_SHARE_MESSAGE_LINKS`. */
  Partial<Pick<BffConfig, 'messageLinks'>>

/**
 * Runs every pre-flight check of an invitation request and returns the plan to carry out.
 *
 * @example
 * const plan = planInvitation(config, caller, { email: 'ada@fabrikam.example', presetId: 'apollo' })
 * plan.groupIds // the preset's groups
 */
export function planInvitation(
  config: PolicyConfig,
  caller: Pick<Caller, 'roles'>,
  request: CreateInvitationRequest,
  approvalMode: ApprovalMode = 'refuse',
): InvitationPlan {
  const email = request.email.trim()
  if (!isValidEmail(email)) {
    throw new ProblemError('invalid_request', {
      detail: 'The email address is not valid.',
      errors: [{ field: 'email', message: 'Enter an email address such as ada@fabrikam.example.' }],
    })
  }
  const domain = checkEmailDomain(config, email)
  const redirectUrl = resolveRedirectUrl(config, request.redirectUrl)
  const preset = resolvePreset(config, caller, request.presetId)
  const message = sanitiseMessage(request.message)
  checkMessageLinks(config, message)
  const accessDays = accessDaysFor(preset, request.accessDays)
  const approval = approvalMode === 'granted' ? null : (preset?.approval ?? null)
  if (approval && approvalMode === 'refuse') {
    throw new ProblemError('approval_required', {
      detail: `The preset '${preset?.id}' needs an approval for each invitation: invite this person on their own (POST /api/invitations), where the request waits for an approver.`,
    })
  }
  const reason = approval ? sanitiseMessage(request.reason) : null
  if (approval?.reasonRequired && reason === null) {
    throw new ProblemError('reason_required', {
      detail: `The preset '${preset?.id}' needs an approval: say in 'reason' why this person needs access.`,
      errors: [{ field: 'reason', message: 'Give the approvers a reason.' }],
    })
  }
  return {
    email,
    domain,
    redirectUrl,
    displayName: sanitiseDisplayName(request.displayName),
    message,
    preset,
    attributes: presetAttributes(preset, request, sanitiseDisplayName(request.displayName)),
    groupIds: [...new Set(preset?.groupIds ?? [])],
    approval,
    reason,
    accessDays,
  }
}

/**
 * Everything the saga sets with `PATCH /users/{id}`: the preset's attributes overlaid with the request's, the name
 * split from the display name when the preset asks and the request gave no part of it, and the preset's extension
 * attributes.
 *
 * @example
 * presetAttributes({ splitDisplayName: true, … }, { email }, 'Ada King Lovelace') // { givenName: 'Ada', surname: 'King Lovelace' }
 */
export function presetAttributes(
  preset: GroupPreset | null,
  request: Pick<CreateInvitationRequest, 'attributes'>,
  displayName: string | null,
): GuestAttributes {
  const attributes = mergeAttributes(preset?.attributes, request.attributes)
  if (preset?.splitDisplayName && displayName && !attributes.givenName && !attributes.surname) {
    const [givenName = '', ...rest] = displayName.split(' ')
    attributes.givenName = capLength(givenName, constraints.givenNameMaxLength)
    if (rest.length > 0) attributes.surname = capLength(rest.join(' '), constraints.surnameMaxLength).trim()
  }
  for (const [name, value] of Object.entries(preset?.extensionAttributes ?? {})) {
    attributes[name as `extension_${string}`] = value
  }
  return attributes
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1'])

/**
 * The redirect URL to invite with: the configured default when none is asked for, else the requested URL when it
 * is an absolute `https` URL (plain `http` only on localhost / 127.0.0.1) without user info whose exact origin is
 * allowed (`redirectOrigins`, or the default URL's origin). Anything that could make the invitation an open
 * redirect — `javascript:`, `//host`, `https:host`, backslashes, whitespace or control characters that parsers
 * disagree on — is refused with `redirect_url_not_allowed`. Returns the URL normalised by the WHATWG parser.
 *
 * @example
 * resolveRedirectUrl({ redirectOrigins: ['https://apps.contoso.example'], defaultRedirectUrl: 'https://apps.contoso.example/' },
 *   'https://apps.contoso.example/welcome') // 'https://apps.contoso.example/welcome'
 * resolveRedirectUrl(config, 'https://apps.contoso.example@evil.example/') // throws redirect_url_not_allowed
 */
export function resolveRedirectUrl(
  config: Pick<BffConfig, 'redirectOrigins' | 'defaultRedirectUrl'>,
  requested: string | undefined,
): string {
  if (requested === undefined) return config.defaultRedirectUrl
  const refuse = (why: string) =>
    new ProblemError('redirect_url_not_allowed', {
      detail: `The redirect URL is not allowed: ${why}.`,
      errors: [{ field: 'redirectUrl', message: `Use a URL on one of the allowed origins; ${why}.` }],
    })
  if (requested.length > constraints.redirectUrlMaxLength) throw refuse('it is too long')
  // Browsers and servers strip or reinterpret these differently (tab/newline removal, `\` as `/`), the classic
  // way to smuggle another host past an origin check.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\s\\\u0000-\u001F\u007F-\u009F]/.test(requested)) {
    throw refuse('it contains whitespace, control characters or backslashes')
  }
  // Scheme followed by exactly `//`: refuses `https:host` and `https:/host`, which the WHATWG parser repairs.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/[^/]/i.exec(requested)?.[1]?.toLowerCase()
  if (scheme !== 'https' && scheme !== 'http') throw refuse('it must be an absolute https URL')
  let url: URL
  try {
    url = new URL(requested)
  } catch {
    throw refuse('it is not a valid URL')
  }
  // `https://@host` parses with an empty username, so look for `@` in the authority as written, too.
  const authority = requested.slice(scheme.length + 3).split(/[/?#]/, 1)[0] ?? ''
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    throw refuse('it must not contain user information')
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw refuse('plain http is allowed only for localhost')
  }
  if (!allowedRedirectOrigins(config).has(url.origin))
    throw refuse(`the origin ${url.origin} is not on the allowlist`)
  return url.href
}

/** The exact origins a redirect URL may have: `redirectOrigins` and the default URL's origin. */
export function allowedRedirectOrigins(
  config: Pick<BffConfig, 'redirectOrigins' | 'defaultRedirectUrl'>,
): Set<string> {
  const origins = new Set<string>()
  for (const entry of [...config.redirectOrigins, config.defaultRedirectUrl]) {
    // Normalised through the parser so `HTTPS://Apps.Example:443` and `https://apps.example` compare equal.
    if (URL.canParse(entry)) origins.add(new URL(entry).origin)
  }
  origins.delete('null')
  return origins
}

/**
 * Checks the address's domain against the configured deny list (wins) and allow list (empty: any) and returns the
 * lower-cased domain. An entry `*.example.com` also matches subdomains; other entries match exactly.
 *
 * @example
 * checkEmailDomain({ allowedDomains: [], blockedDomains: ['blocked.example'] }, 'eve@blocked.example')
 * // throws domain_not_allowed: "Invitations to 'blocked.example' are not allowed."
 */
export function checkEmailDomain(
  config: Pick<BffConfig, 'allowedDomains' | 'blockedDomains'>,
  email: string,
): string {
  const domain = emailDomain(email)
  const refuse = () =>
    new ProblemError('domain_not_allowed', {
      detail: `Invitations to '${domain}' are not allowed.`,
      errors: [{ field: 'email', message: `Invitations to '${domain}' are not allowed.` }],
    })
  if (config.blockedDomains.some((entry) => domainMatches(entry, domain))) throw refuse()
  if (
    config.allowedDomains.length > 0 &&
    !config.allowedDomains.some((entry) => domainMatches(entry, domain))
  ) {
    throw refuse()
  }
  return domain
}

function domainMatches(entry: string, domain: string): boolean {
  const pattern = entry.trim().toLowerCase()
  if (pattern.startsWith('*.')) return domain.endsWith(pattern.slice(1))
  return pattern === domain
}

/**
 * The preset the request names, or `null` when it names none. An unknown preset, or one restricted to app roles
 * the caller holds none of, is `preset_not_allowed` (the same answer, so presets cannot be probed).
 *
 * @example
 * resolvePreset(config, caller, 'apollo') // { id: 'apollo', groupIds: [...], ... }
 */
export function resolvePreset(
  config: Pick<BffConfig, 'presets'>,
  caller: Pick<Caller, 'roles'>,
  presetId: string | undefined,
): GroupPreset | null {
  if (presetId === undefined) return null
  const preset = config.presets.find((candidate) => candidate.id === presetId)
  const roles = preset?.allowedRoles ?? []
  if (!preset || (roles.length > 0 && !roles.some((role) => caller.roles.includes(role)))) {
    throw new ProblemError('preset_not_allowed', {
      detail: `The group preset '${quoteInput(presetId)}' does not exist or you may not use it.`,
    })
  }
  return preset
}

/**
 * Applies the message link policy (`messageLinks`, default `none`) to a sanitised message. Microsoft's invitation
 * email comes from a sender the guest trusts, so a link in it is a phishing link with Microsoft's name on it:
 *
 * - `none`: any link (see {@link findMessageLinks}: URLs, bare domains such as `evil.example/login`, `www.` hosts,
 *   IP addresses, `mailto:`) is refused;
 * - `allowlist`: a link passes only when it is a URL a redirect may go to ({@link resolveRedirectUrl}: `https`,
 *   no user info or backslashes, exact origin in `redirectOrigins` or the default URL's); a bare host counts as the
 *   `http://` URL mail clients make of it, so it passes only on an allowed plain-http loopback origin;
 * - `any`: no check.
 *
 * A refusal is `message_links_not_allowed` naming the first offending link (sanitised, cut short).
 *
 * @example
 * checkMessageLinks({ ...config, messageLinks: 'none' }, 'Sign in at evil.example/login')
 * // throws message_links_not_allowed: "The personal message contains a link (evil.example/login); …"
 */
export function checkMessageLinks(
  config: Pick<BffConfig, 'redirectOrigins' | 'defaultRedirectUrl'> &
    Partial<Pick<BffConfig, 'messageLinks'>>,
  message: string | null,
): void {
  const policy = config.messageLinks ?? 'none'
  if (message === null || policy === 'any') return
  const links = findMessageLinks(message)
  const offending = policy === 'none' ? links[0] : links.find((link) => !isAllowedRedirect(config, link.url))
  if (offending === undefined) return
  const link = quoteLink(offending.text)
  const allowed = [...allowedRedirectOrigins(config)].join(', ')
  const why =
    policy === 'none'
      ? 'links are not allowed in invitation messages'
      : `links may only go to ${allowed}${offending.hasScheme ? '' : ', written out with https://'}`
  throw new ProblemError('message_links_not_allowed', {
    detail: `The personal message contains a link (${link}); ${why}.`,
    errors: [{ field: 'message', message: `Remove the link ${link} from the message: ${why}.` }],
  })
}

function isAllowedRedirect(config: Pick<BffConfig, 'redirectOrigins' | 'defaultRedirectUrl'>, url: string) {
  try {
    resolveRedirectUrl(config, url)
    return true
  } catch {
    return false
  }
}

/**
 * The personal message as it may go into an invitation email: control characters removed (tab and newline kept),
 * bidi controls and invisible characters removed (`invisibleCharacters` of `@entra-share/contracts`), trimmed,
 * capped at `constraints.messageMaxLength`; `null` when nothing is left.
 *
 * @example
 * sanitiseMessage('  Welcome\u0007 aboard!\n ') // 'Welcome aboard!'
 */
export function sanitiseMessage(message: string | undefined): string | null {
  if (message === undefined) return null
  const clean = capLength(
    message.replace(controlCharacters, '').replace(invisibleCharacters, '').trim(),
    constraints.messageMaxLength,
  ).trim()
  return clean === '' ? null : clean
}

/**
 * A display name as the directory shows it: control characters, bidi controls and invisible characters removed
 * (as in {@link sanitiseMessage}), any run of whitespace (tabs, newlines)
 * made one space, trimmed, capped at `constraints.displayNameMaxLength`; `null` when nothing is left.
 *
 * @example
 * sanitiseDisplayName(' Ada\n Lovelace ') // 'Ada Lovelace'
 */
export function sanitiseDisplayName(displayName: string | undefined): string | null {
  if (displayName === undefined) return null
  const clean = capLength(
    displayName.replace(controlCharacters, '').replace(invisibleCharacters, '').replace(/\s+/g, ' ').trim(),
    constraints.displayNameMaxLength,
  ).trim()
  return clean === '' ? null : clean
}

/**
 * The attributes to set on the guest: the preset's, overlaid with the request's own (the request wins). Values are
 * cleaned like display names; `usageLocation` is upper-cased (ISO 3166-1 alpha-2, as Graph stores it).
 *
 * @example
 * mergeAttributes({ usageLocation: 'GB' }, { givenName: 'Ada' }) // { usageLocation: 'GB', givenName: 'Ada' }
 */
export function mergeAttributes(
  preset: GuestAttributes | undefined,
  requested: GuestAttributes | undefined,
): GuestAttributes {
  const merged: GuestAttributes = {}
  for (const source of [preset, requested]) {
    for (const name of ['givenName', 'surname', 'usageLocation'] as const) {
      const value = sanitiseDisplayName(source?.[name])
      if (value !== null) merged[name] = name === 'usageLocation' ? value.toUpperCase() : value
    }
  }
  return merged
}

/** Cuts to `max` UTF-16 units without leaving half a surrogate pair behind. */
function capLength(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut
}
