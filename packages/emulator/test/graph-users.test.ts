import { type Client, ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import {
  adminClient,
  appClient,
  graphClient,
  graphFailure,
  graphToken,
  invitationFor,
  inviterClient,
} from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const USERS_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#users'

describe('Graph users (Graph JS SDK)', () => {
  let emulator: RunningEmulator
  let megan: Client
  let adele: Client

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
    megan = await inviterClient(emulator)
    adele = await adminClient(emulator)
  })

  describe('GET /users/{id | userPrincipalName}', () => {
    it("returns Graph v1.0's default property set, in Graph's order", async () => {
      const user = await megan.api(`/users/${seeded.nonInviter.id}`).get()

      expect(user).toEqual({
        '@odata.context': `${USERS_CONTEXT}/$entity`,
        businessPhones: [],
        displayName: 'Lee Gu',
        givenName: 'Lee',
        jobTitle: null,
        mail: 'lee@contoso.example',
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: null,
        surname: 'Gu',
        userPrincipalName: 'lee@contoso.example',
        id: seeded.nonInviter.id,
      })
      expect(Object.keys(user).slice(1)).toEqual([
        'businessPhones',
        'displayName',
        'givenName',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
        'id',
      ])
    })

    it('finds a user by userPrincipalName, #EXT# included (URL-encoded as %23)', async () => {
      const guest = await megan
        .api(`/users/${encodeURIComponent('grace_northwind.example#EXT#@contoso.onmicrosoft.com')}`)
        .select('id')
        .get()

      expect(guest).toEqual({ '@odata.context': `${USERS_CONTEXT}(id)/$entity`, id: seeded.existingGuest.id })
    })

    it('returns only the $select-ed properties, matching names case-insensitively', async () => {
      const guest = await megan
        .api(`/users/${seeded.existingGuest.id}`)
        .select([
          'externalUserState',
          'USERTYPE',
          'creationType',
          'usageLocation',
          'accountEnabled',
          'createdDateTime',
        ])
        .get()

      expect(guest).toEqual({
        '@odata.context': `${USERS_CONTEXT}(externalUserState,userType,creationType,usageLocation,accountEnabled,createdDateTime)/$entity`,
        externalUserState: 'Accepted',
        userType: 'Guest',
        creationType: 'Invitation',
        usageLocation: null,
        accountEnabled: true,
        createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      })
    })

    it('refuses an unknown $select property with 400', async () => {
      const error = await graphFailure(megan.api(`/users/${seeded.nonInviter.id}`).select('shoeSize').get())

      expect(error.statusCode).toBe(400)
      expect(error.code).toBe('BadRequest')
      expect(error.message).toBe("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.")
    })

    it('answers 404 Request_ResourceNotFound for an unknown id', async () => {
      const missing = '00000000-0000-4000-8000-00000000dead'

      const error = await graphFailure(megan.api(`/users/${missing}`).get())

      expect(error.statusCode).toBe(404)
      expect(error.code).toBe('Request_ResourceNotFound')
      expect(error.message).toBe(
        `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
      )
    })

    it('needs a user-reading permission: User.Read alone reads only the signed-in user', async () => {
      const basic = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Read'] }),
      )

      const self = await basic.api(`/users/${seeded.inviter.id}`).select('displayName').get()
      const error = await graphFailure(basic.api(`/users/${seeded.nonInviter.id}`).get())

      expect(self.displayName).toBe('Megan Bowen')
      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('GET /me', () => {
    it('returns the signed-in user, with $select', async () => {
      const me = await megan.api('/me').select(['displayName', 'mail']).get()

      expect(me).toEqual({
        '@odata.context': `${USERS_CONTEXT}(displayName,mail)/$entity`,
        displayName: 'Megan Bowen',
        mail: 'megan@contoso.example',
      })
    })

    it('answers 400 to an app-only token, as Graph does', async () => {
      const app = await appClient(emulator)

      const error = await graphFailure(app.api('/me').get())

      expect(error.statusCode).toBe(400)
      expect(error.message).toBe('/me request is only valid with delegated authentication flow.')
    })
  })

  describe('GET /users?$filter=', () => {
    it("finds a user by mail, ignoring case, in Graph's collection shape", async () => {
      const result = await megan
        .api('/users')
        .filter("mail eq 'GRACE@northwind.example'")
        .select(['id', 'mail'])
        .get()

      expect(result).toEqual({
        '@odata.context': `${USERS_CONTEXT}(id,mail)`,
        value: [{ id: seeded.existingGuest.id, mail: 'grace@northwind.example' }],
      })
    })

    it('finds a user by otherMails/any(), alone and combined with or', async () => {
      const byOtherMails = await megan
        .api('/users')
        .filter("otherMails/any(x:x eq 'grace@northwind.example')")
        .select('id')
        .get()
      const combined = await megan
        .api('/users')
        .filter("mail eq 'nobody@nowhere.example' or otherMails/any(m:m eq 'grace@northwind.example')")
        .select('id')
        .get()

      expect(byOtherMails.value).toEqual([{ id: seeded.existingGuest.id }])
      expect(combined.value).toEqual([{ id: seeded.existingGuest.id }])
    })

    it('supports userPrincipalName eq, in (…), startswith() and and', async () => {
      const byUpn = await megan
        .api('/users')
        .filter("userPrincipalName eq 'lee@contoso.example'")
        .select('id')
        .get()
      const byIn = await megan
        .api('/users')
        .filter("mail in ('lee@contoso.example', 'adele@contoso.example')")
        .select('id')
        .get()
      const guests = await megan
        .api('/users')
        .filter("startswith(displayName,'gr') and userType eq 'Guest'")
        .select('id')
        .get()

      expect(byUpn.value).toEqual([{ id: seeded.nonInviter.id }])
      expect(byIn.value.map((user: { id: string }) => user.id).sort()).toEqual([
        seeded.admin.id,
        seeded.nonInviter.id,
      ])
      expect(guests.value).toEqual([{ id: seeded.existingGuest.id }])
    })

    it('answers an empty collection when nobody matches', async () => {
      const result = await megan.api('/users').filter("mail eq 'nobody@nowhere.example'").get()

      expect(result).toEqual({ '@odata.context': USERS_CONTEXT, value: [] })
    })

    it('refuses a clause Graph does not support without advanced query parameters', async () => {
      const error = await graphFailure(megan.api('/users').filter("endswith(mail,'@contoso.example')").get())

      expect(error.statusCode).toBe(400)
      expect(error.code).toBe('Request_UnsupportedQuery')
      expect(error.message).toBe(
        "Unsupported or invalid query filter clause specified for property 'mail' of resource 'User'.",
      )
    })

    it('refuses a malformed filter with 400 BadRequest', async () => {
      const error = await graphFailure(megan.api('/users').filter("mail eq 'unterminated").get())

      expect(error.statusCode).toBe(400)
      expect(error.code).toBe('BadRequest')
      expect(error.message).toBe(
        "Invalid filter clause: Syntax error at position 8 in 'mail eq 'unterminated'.",
      )
    })

    it('pages with $top and an @odata.nextLink on the emulator host that the SDK can follow', async () => {
      const first = await megan.api('/users').top(2).select('id').get()
      expect(first.value).toHaveLength(2)
      expect(first['@odata.nextLink']).toMatch(new RegExp(`^${emulator.url}/v1\\.0/users\\?`))

      const seen = [...first.value]
      let next: string | undefined = first['@odata.nextLink']
      while (next) {
        const page = await megan.api(next).get()
        seen.push(...page.value)
        next = page['@odata.nextLink']
      }
      const allIds = [...(emulator.context.directory.tenant(seeded.contosoTenantId)?.users.keys() ?? [])]
      expect(allIds).toHaveLength(5)
      expect(seen.map((user: { id: string }) => user.id)).toEqual(allIds)
    })
  })

  describe('PATCH /users/{id}', () => {
    it('updates writable properties and answers 204 No Content', async () => {
      const response = await adele
        .api(`/users/${seeded.existingGuest.id}`)
        .responseType(ResponseType.RAW)
        .patch({
          givenName: 'Grace',
          surname: 'Hopper',
          usageLocation: 'us',
          jobTitle: 'Rear Admiral',
          companyName: 'Northwind',
        })

      expect((response as Response).status).toBe(204)
      const guest = await adele
        .api(`/users/${seeded.existingGuest.id}`)
        .select(['givenName', 'surname', 'usageLocation', 'jobTitle', 'companyName'])
        .get()
      expect(guest).toMatchObject({
        givenName: 'Grace',
        surname: 'Hopper',
        usageLocation: 'US',
        jobTitle: 'Rear Admiral',
        companyName: 'Northwind',
      })
    })

    it.each([
      [{ shoeSize: 44 }, "Property 'shoeSize' does not exist as a declared property or extension property."],
      [{ creationType: 'Invitation' }, "Property 'creationType' is read-only and cannot be set."],
      [{ usageLocation: 'USA' }, "Invalid value specified for property 'usageLocation' of resource 'User'."],
    ])('refuses %j with 400 Request_BadRequest and changes nothing', async (body, message) => {
      const error = await graphFailure(
        adele.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'Changed', ...body }),
      )

      expect([error.statusCode, error.code, error.message]).toEqual([400, 'Request_BadRequest', message])
      const guest = await adele.api(`/users/${seeded.existingGuest.id}`).select('givenName').get()
      expect(guest.givenName).toBeNull()
    })

    it('needs User.ReadWrite.All', async () => {
      const reader = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Read.All'] }),
      )

      const error = await graphFailure(
        reader.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'Grace' }),
      )

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('replication delay', () => {
    it('hides a new guest from reads, PATCH and lists until the delay has passed', async () => {
      emulator.context.faults.set({ replicationDelayMs: 1500 })
      const invitation = await adele.api('/invitations').post(invitationFor('ada@fabrikam.example'))
      const id: string = invitation.invitedUser.id

      const read = await graphFailure(adele.api(`/users/${id}`).get())
      const patch = await graphFailure(adele.api(`/users/${id}`).patch({ givenName: 'Ada' }))
      const list = await adele.api('/users').filter("mail eq 'ada@fabrikam.example'").get()
      expect([read.statusCode, read.code]).toEqual([404, 'Request_ResourceNotFound'])
      expect([patch.statusCode, patch.code]).toEqual([404, 'Request_ResourceNotFound'])
      expect(list.value).toEqual([])

      await new Promise((resolve) => setTimeout(resolve, 1600))

      await adele.api(`/users/${id}`).patch({ givenName: 'Ada' })
      const user = await adele.api(`/users/${id}`).select(['id', 'givenName']).get()
      expect(user).toMatchObject({ id, givenName: 'Ada' })
      expect(emulator.context.faults.injected.replicationDelay).toBeGreaterThanOrEqual(3)
    })
  })
})
