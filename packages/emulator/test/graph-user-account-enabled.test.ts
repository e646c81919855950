import { ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import type { DirectoryUser } from '../src/state/directory.js'
import { authorizeUrl, postToken, signInToSpa, visit } from '../src/testing/sign-in.js'
import { appGraphToken, graphErrorOf, graphFetch } from './graph-calls.js'
import { graphClient, graphFailure, graphToken, invitationFor } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const DENIED = 'Insufficient privileges to complete the operation.'
const USER_DISABLED = 'AADSTS50057: The user account is disabled.'
const UNKNOWN = '00000000-0000-4000-8000-00000000dead'
const ENABLE_DISABLE = ['User.EnableDisableAccount.All', 'User.Read.All']

describe('PATCH /users/{id} accountEnabled, and what a disabled account can no longer do', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  function user(id: string): DirectoryUser {
    const found = emulator.context.directory.tenant(seeded.contosoTenantId)?.users.get(id)
    if (!found) throw new Error(`no user ${id}`)
    return found
  }

  const delegated = async (upn: string, scopes: string[]) =>
    graphClient(emulator, await graphToken(emulator, { user: upn, scopes }))

  describe('who may disable and enable', () => {
    it('lets Adele (User Administrator) disable and enable Lee: 204 each time, accountEnabled follows', async () => {
      const adele = await delegated(seeded.admin.upn, ['User.ReadWrite.All'])

      const disabled = (await adele
        .api(`/users/${seeded.nonInviter.id}`)
        .responseType(ResponseType.RAW)
        .patch({ accountEnabled: false })) as Response
      const read = await adele.api(`/users/${seeded.nonInviter.id}`).select('accountEnabled').get()
      await adele.api(`/users/${seeded.nonInviter.id}`).patch({ accountEnabled: true })

      expect(disabled.status).toBe(204)
      expect(await disabled.text()).toBe('')
      expect(read.accountEnabled).toBe(false)
      expect(user(seeded.nonInviter.id).accountEnabled).toBe(true)
    })

    it('accepts User.EnableDisableAccount.All + User.Read.All for a body that changes accountEnabled only', async () => {
      const adele = await delegated(seeded.admin.upn, ENABLE_DISABLE)

      await adele.api(`/users/${seeded.nonInviter.id}`).patch({ accountEnabled: false })
      const withOther = await graphFailure(
        adele.api(`/users/${seeded.nonInviter.id}`).patch({ accountEnabled: true, givenName: 'Lee' }),
      )
      const withoutRead = await graphFailure(
        (await delegated(seeded.admin.upn, ['User.EnableDisableAccount.All']))
          .api(`/users/${seeded.nonInviter.id}`)
          .patch({ accountEnabled: true }),
      )

      expect(user(seeded.nonInviter.id).accountEnabled).toBe(false)
      expect([withOther.statusCode, withOther.code, withOther.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect([withoutRead.statusCode, withoutRead.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('refuses a token without the permission before looking the user up (403, not 404)', async () => {
      const readOnly = await delegated(seeded.admin.upn, ['User.Read.All'])

      const error = await graphFailure(readOnly.api(`/users/${UNKNOWN}`).patch({ accountEnabled: false }))

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it("refuses Megan (Guest Inviter) with Graph's exact 403 body, her token's User.ReadWrite.All notwithstanding", async () => {
      const token = await graphToken(emulator, {
        user: seeded.inviter.upn,
        scopes: ['User.ReadWrite.All', ...ENABLE_DISABLE],
      })

      const response = await graphFetch(emulator, token, 'PATCH', `/users/${seeded.existingGuest.id}`, {
        accountEnabled: false,
      })

      expect(response.status).toBe(403)
      expect(await graphErrorOf(response)).toEqual({
        code: 'Authorization_RequestDenied',
        message: DENIED,
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
          'request-id': response.headers.get('request-id'),
          'client-request-id': response.headers.get('client-request-id'),
        },
      })
      expect(user(seeded.existingGuest.id).accountEnabled).toBe(true)
    })

    it('follows "Who can perform sensitive actions": a User Administrator may disable a Guest Inviter, not a Global Administrator', async () => {
      user(seeded.nonInviter.id).directoryRoles.push('Global Administrator')
      const adele = await delegated(seeded.admin.upn, ['User.ReadWrite.All', 'Directory.AccessAsUser.All'])

      await adele.api(`/users/${seeded.inviter.id}`).patch({ accountEnabled: false })
      const admin = await graphFailure(
        adele.api(`/users/${seeded.nonInviter.id}`).patch({ accountEnabled: false }),
      )

      expect(user(seeded.inviter.id).accountEnabled).toBe(false)
      expect([admin.statusCode, admin.code, admin.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect(user(seeded.nonInviter.id).accountEnabled).toBe(true)
    })

    it('lets a Privileged Authentication Administrator disable a Global Administrator, with Directory.AccessAsUser.All only', async () => {
      user(seeded.nonInviter.id).directoryRoles.push('Global Administrator')
      user(seeded.mfaUser.id).directoryRoles.push('Privileged Authentication Administrator')
      const without = await delegated(seeded.mfaUser.upn, ['User.ReadWrite.All'])
      const withAccessAsUser = await delegated(seeded.mfaUser.upn, [
        'User.ReadWrite.All',
        'Directory.AccessAsUser.All',
      ])

      const refused = await graphFailure(
        without.api(`/users/${seeded.nonInviter.id}`).patch({ accountEnabled: false }),
      )
      await withAccessAsUser.api(`/users/${seeded.nonInviter.id}`).patch({ accountEnabled: false })

      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect(user(seeded.nonInviter.id).accountEnabled).toBe(false)
    })

    it('app-only: User.EnableDisableAccount.All + User.Read.All disables a guest, but not a User Administrator', async () => {
      const app = graphClient(emulator, await appGraphToken(emulator, { roles: ENABLE_DISABLE }))
      const noRead = graphClient(
        emulator,
        await appGraphToken(emulator, { roles: ['User.EnableDisableAccount.All'] }),
      )

      await app.api(`/users/${seeded.existingGuest.id}`).patch({ accountEnabled: false })
      const admin = await graphFailure(app.api(`/users/${seeded.admin.id}`).patch({ accountEnabled: false }))
      const unread = await graphFailure(
        noRead.api(`/users/${seeded.existingGuest.id}`).patch({ accountEnabled: true }),
      )

      expect(user(seeded.existingGuest.id).accountEnabled).toBe(false)
      expect([admin.statusCode, admin.code, admin.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect(user(seeded.admin.id).accountEnabled).toBe(true)
      expect([unread.statusCode, unread.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('a disabled account cannot sign in or redeem (AADSTS50057)', () => {
    const disable = async (id: string, accountEnabled = false) =>
      (await delegated(seeded.admin.upn, ['User.ReadWrite.All']))
        .api(`/users/${id}`)
        .patch({ accountEnabled })

    it('refuses the sign-in of a disabled member with AADSTS50057, and signs the member in again once enabled', async () => {
      await disable(seeded.nonInviter.id)

      const refused = await visit(authorizeUrl(emulator, { loginHint: seeded.nonInviter.upn }).url)
      await disable(seeded.nonInviter.id, true)
      const allowed = await visit(authorizeUrl(emulator, { loginHint: seeded.nonInviter.upn }).url)

      expect(refused.status).toBe(400)
      expect(refused.location).toBeNull()
      expect(refused.html).toContain(USER_DISABLED)
      expect(allowed.params.get('code')).toBeTruthy()
    })

    it('refuses the refresh token of a user disabled since sign-in: 400 invalid_grant, AADSTS50057', async () => {
      const signedIn = await signInToSpa(emulator, seeded.nonInviter.upn)
      await disable(seeded.nonInviter.id)

      const refreshed = await postToken(
        emulator,
        {
          client_id: seeded.spaClientId,
          grant_type: 'refresh_token',
          refresh_token: signedIn.refresh_token,
          scope: `${seeded.bffScope} openid profile offline_access`,
        },
        'http://127.0.0.1:5173',
      )

      expect(refreshed.status).toBe(400)
      expect(refreshed.body.error).toBe('invalid_grant')
      expect(refreshed.body.error_codes).toEqual([50057])
      expect(String(refreshed.body.error_description)).toMatch(/^AADSTS50057: The user account is disabled\./)
    })

    it('refuses a disabled guest the redemption page and the Accept, leaving the invitation pending', async () => {
      const app = graphClient(emulator, await appGraphToken(emulator))
      const invitation = await app.api('/invitations').post(invitationFor('ada@fabrikam.example'))
      const guestId: string = invitation.invitedUser.id
      await disable(guestId)

      const page = await fetch(invitation.inviteRedeemUrl)
      const rd = new URL(invitation.inviteRedeemUrl).searchParams.get('rd') ?? ''
      const accept = await fetch(`${emulator.url}/redeem`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ rd }).toString(),
      })

      expect(page.status).toBe(400)
      expect(await page.text()).toContain(USER_DISABLED)
      expect(accept.status).toBe(400)
      expect(await accept.text()).toContain(USER_DISABLED)
      expect(user(guestId).externalUserState).toBe('PendingAcceptance')
      expect(emulator.context.directory.invitations.get(invitation.id)?.redeemedDateTime).toBeNull()

      await disable(guestId, true)
      expect((await fetch(invitation.inviteRedeemUrl)).status).toBe(200)
    })
  })

  it('works inside $batch, item by item', async () => {
    const token = await graphToken(emulator, { user: seeded.admin.upn, scopes: ENABLE_DISABLE })

    const response = await graphFetch(emulator, token, 'POST', '/$batch', {
      requests: [
        {
          id: '1',
          method: 'PATCH',
          url: `/users/${seeded.nonInviter.id}`,
          headers: { 'content-type': 'application/json' },
          body: { accountEnabled: false },
        },
      ],
    })
    const [item] = ((await response.json()) as { responses: Array<{ status: number }> }).responses

    expect(item?.status).toBe(204)
    expect(user(seeded.nonInviter.id).accountEnabled).toBe(false)
  })
})
