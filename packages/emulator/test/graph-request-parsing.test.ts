import { describe, expect, it } from 'vitest'
import { parseUserFilter } from '../src/graph/filter.js'
import { isInvitableEmailAddress, parseInvitationRequest } from '../src/graph/invitation-request.js'
import { buildInviteRedeemUrl, newTicket, parseRedeemTarget } from '../src/graph/redeem-link.js'
import { parseSelect } from '../src/graph/select.js'
import { parseUserPatch } from '../src/graph/user-patch.js'
import { Directory } from '../src/state/directory.js'
import { defaultSeed } from '../src/state/seed.js'
import { seeded } from './support.js'

const directory = new Directory(defaultSeed)
const contoso = directory.tenant(seeded.contosoTenantId)
const users = [...(contoso?.users.values() ?? [])]

function matchingIds(filter: string): string[] {
  const result = parseUserFilter(filter)
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`)
  return users.filter(result.predicate).map((user) => user.id)
}

describe('$filter parsing', () => {
  it('unescapes doubled quotes inside string literals', () => {
    const guest = users.find((user) => user.id === seeded.existingGuest.id)
    if (guest) directory.updateUser(guest, { mail: "o'brien@northwind.example" })

    expect(matchingIds("mail eq 'O''Brien@northwind.example'")).toEqual([seeded.existingGuest.id])
  })

  it('honours parentheses and the precedence of and over or', () => {
    const onlyAdele =
      "userType eq 'Member' and (mail eq 'adele@contoso.example' or mail eq 'nobody@x.example')"
    const adeleOrGuest = "mail eq 'adele@contoso.example' or userType eq 'Guest' and accountEnabled eq true"

    expect(matchingIds(onlyAdele)).toEqual([seeded.admin.id])
    expect(matchingIds(adeleOrGuest)).toEqual([seeded.admin.id, seeded.existingGuest.id])
  })

  it.each([
    [
      'shoeSize eq 44',
      'BadRequest',
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    ],
    ["department eq 'Sales'", 'Request_UnsupportedQuery', expect.stringContaining("property 'department'")],
    ["mail ne 'a@b.example'", 'Request_UnsupportedQuery', expect.stringContaining("property 'mail'")],
    ['mail eq null', 'Request_UnsupportedQuery', expect.stringContaining('advanced query')],
    ["mail eq 'a@b.example' or", 'BadRequest', expect.stringContaining('Syntax error at position 24')],
  ])('refuses %s', (filter, code, message) => {
    expect(parseUserFilter(filter)).toEqual({ ok: false, code, message })
  })
})

describe('$select parsing', () => {
  it('keeps the declared spelling, drops repeats, and treats an empty $select as none', () => {
    expect(parseSelect('MAIL, id,mail', ['id', 'mail'], 'microsoft.graph.user')).toEqual({
      ok: true,
      properties: ['mail', 'id'],
    })
    expect(parseSelect('', ['id'], 'microsoft.graph.user')).toEqual({ ok: true, properties: null })
  })
})

describe('PATCH /users body', () => {
  it('ignores OData annotations and normalises usageLocation', () => {
    expect(
      parseUserPatch({ '@odata.type': '#microsoft.graph.user', usageLocation: 'gb', otherMails: [] }),
    ).toEqual({
      ok: true,
      changes: { usageLocation: 'GB', otherMails: [] },
      extensions: {},
    })
  })

  it('refuses a null displayName and more than one business phone', () => {
    expect(parseUserPatch({ displayName: null })).toMatchObject({ ok: false })
    expect(parseUserPatch({ businessPhones: ['+1 555 0100', '+1 555 0101'] })).toMatchObject({ ok: false })
  })
})

describe('invitation email addresses (the characters Graph documents as not permitted)', () => {
  it.each([
    'ada@fabrikam.example',
    'ada.lovelace@fabrikam.example',
    '_ada_@fabrikam.example',
    "o'brien@sub.fabrikam.example",
  ])('accepts %s', (address) => {
    expect(isInvitableEmailAddress(address)).toBe(true)
  })

  it.each([
    'ada+tag@fabrikam.example',
    'ada#1@fabrikam.example',
    '.ada@fabrikam.example',
    'ada-@fabrikam.example',
    'ada@@fabrikam.example',
    'ada@localhost',
    'ada',
  ])('refuses %s', (address) => {
    expect(isInvitableEmailAddress(address)).toBe(false)
  })

  it('fills in Graph defaults for the optional properties', () => {
    const result = parseInvitationRequest({
      invitedUserEmailAddress: ' ada@fabrikam.example ',
      inviteRedirectUrl: 'https://a.example',
    })

    expect(result).toEqual({
      ok: true,
      request: {
        invitedUserEmailAddress: 'ada@fabrikam.example',
        inviteRedirectUrl: 'https://a.example',
        invitedUserDisplayName: null,
        sendInvitationMessage: false,
        invitedUserType: 'Guest',
        invitedUserMessageInfo: {
          messageLanguage: null,
          ccRecipients: [{ emailAddress: { name: null, address: null } }],
          customizedMessageBody: null,
        },
        resetRedemption: false,
        invitedUserId: null,
        invitedUserSponsors: null,
      },
    })
  })

  it('requires invitedUser.id with resetRedemption', () => {
    const result = parseInvitationRequest({
      invitedUserEmailAddress: 'ada@fabrikam.example',
      inviteRedirectUrl: 'https://a.example',
      resetRedemption: true,
    })

    expect(result).toEqual({
      ok: false,
      message: 'The invitedUser.id property is required when resetRedemption is true.',
    })
  })
})

describe('redeem links', () => {
  const baseUrl = 'https://127.0.0.1:4443'

  it('round-trip a base64 ticket through the double encoding, as Fastify decodes rd once', () => {
    const target = {
      tenantId: seeded.contosoTenantId,
      invitationId: '9071bfde-35e0-47d2-a582-d244ab1b4af6',
      ticket: newTicket(),
    }
    const url = new URL(buildInviteRedeemUrl(baseUrl, target))

    expect(url.search).not.toMatch(/%(?:[A-F][0-9A-F]|[0-9][A-F])/)
    expect(parseRedeemTarget(baseUrl, url.searchParams.get('rd'))).toEqual(target)
  })

  it('refuse a target on another host or path', () => {
    const inner = `${baseUrl}/invitations/redeem/?tenant=t&user=u&ticket=x&ver=2.0`

    expect(parseRedeemTarget(baseUrl, inner)).toEqual({ tenantId: 't', invitationId: 'u', ticket: 'x' })
    expect(parseRedeemTarget(baseUrl, inner.replace('127.0.0.1:4443', 'evil.example'))).toBeUndefined()
    expect(parseRedeemTarget(baseUrl, inner.replace('/invitations/redeem/', '/elsewhere/'))).toBeUndefined()
    expect(parseRedeemTarget(baseUrl, inner.replace('&ver=2.0', ''))).toBeUndefined()
  })
})
