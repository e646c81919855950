import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { invitationFor, inviterClient } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

/** The value of the hidden `rd` field of the Accept form (HTML-escaped in the page). */
function acceptFormTarget(html: string): string {
  const value = /<input type="hidden" name="rd" value="([^"]*)">/.exec(html)?.[1]
  if (value === undefined) throw new Error('The page has no Accept form')
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
}

describe('invitation redemption page', () => {
  let emulator: RunningEmulator
  let megan: Client

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.context.directory.reset()
    megan = await inviterClient(emulator)
  })

  async function invite(): Promise<{ id: string; inviteRedeemUrl: string; invitedUser: { id: string } }> {
    return megan.api('/invitations').post(
      invitationFor('ada@fabrikam.example', {
        inviteRedirectUrl: 'https://app.contoso.example/welcome?from=invite',
      }),
    )
  }

  it('shows "Review permissions" with the inviting organization and an Accept button', async () => {
    const invitation = await invite()

    const response = await fetch(invitation.inviteRedeemUrl)
    const html = await response.text()

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<title>Review permissions</title>')
    expect(html).toContain('<h1 id="page-title">Review permissions</h1>')
    expect(html).toContain('Megan Bowen from Contoso invited you')
    expect(html).toContain('Contoso (contoso.example) would like to:')
    expect(html).toContain('ada@fabrikam.example')
    expect(html).toMatch(/<form method="post" action="\/redeem" aria-labelledby="page-title">/)
    expect(html).toContain('<button type="submit">Accept</button>')
  })

  it('accepting marks the guest Accepted and the invitation redeemed, then redirects (302) to inviteRedirectUrl', async () => {
    const invitation = await invite()
    const page = await (await fetch(invitation.inviteRedeemUrl)).text()

    const accepted = await fetch(`${emulator.url}/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ rd: acceptFormTarget(page) }),
      redirect: 'manual',
    })

    expect(accepted.status).toBe(302)
    expect(accepted.headers.get('location')).toBe('https://app.contoso.example/welcome?from=invite')
    const guest = await megan
      .api(`/users/${invitation.invitedUser.id}`)
      .select(['externalUserState', 'externalUserStateChangeDateTime'])
      .get()
    expect(guest.externalUserState).toBe('Accepted')
    expect(Date.parse(guest.externalUserStateChangeDateTime)).toBeGreaterThan(Date.now() - 60_000)
    expect(emulator.context.directory.invitations.get(invitation.id)?.redeemedDateTime).toEqual(
      expect.any(String),
    )
  })

  it('also serves the page at the URL inside rd, as invitations.microsoft.com does', async () => {
    const invitation = await invite()
    const inner = new URL(invitation.inviteRedeemUrl).searchParams.get('rd') as string

    const response = await fetch(inner)

    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Review permissions')
  })

  it('answers 400 with a clear page for a wrong ticket or an unknown invitation, and changes nothing', async () => {
    const invitation = await invite()
    const inner = new URL(new URL(invitation.inviteRedeemUrl).searchParams.get('rd') as string)
    const wrongTicket = new URL(inner)
    wrongTicket.searchParams.set('ticket', 'not-the-ticket')
    const unknownInvitation = new URL(inner)
    unknownInvitation.searchParams.set('user', '00000000-0000-4000-8000-00000000dead')

    for (const target of [wrongTicket, unknownInvitation]) {
      const shown = await fetch(`${emulator.url}/redeem?rd=${encodeURIComponent(target.toString())}`)
      const posted = await fetch(`${emulator.url}/redeem`, {
        method: 'POST',
        body: new URLSearchParams({ rd: target.toString() }),
        redirect: 'manual',
      })
      expect(shown.status).toBe(400)
      expect(await shown.text()).toContain("This invitation link isn't valid")
      expect(posted.status).toBe(400)
    }
    const missing = await fetch(`${emulator.url}/redeem`)
    expect(missing.status).toBe(400)

    const guest = await megan.api(`/users/${invitation.invitedUser.id}`).select('externalUserState').get()
    expect(guest.externalUserState).toBe('PendingAcceptance')
  })

  it('escapes what the inviter controls in the page', async () => {
    const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
    const inviter = tenant && emulator.context.directory.user(tenant, seeded.inviter.id)
    if (inviter) inviter.displayName = '<script>alert(1)</script>'
    const invitation = await invite()

    const html = await (await fetch(invitation.inviteRedeemUrl)).text()

    expect(html).not.toContain('<script>')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; from Contoso invited you')
  })
})
