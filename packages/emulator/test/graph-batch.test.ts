import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import {
  appGraphToken,
  type BatchItemAnswer,
  batchItemsOf,
  graphErrorOf,
  graphFetch,
  graphSdkClient,
  invitationBody,
  itemError,
} from './graph-calls.js'
import { seeded, startTestEmulator } from './support.js'

describe('POST /v1.0/$batch', () => {
  let emulator: RunningEmulator
  let token: string
  beforeAll(async () => {
    emulator = await startTestEmulator()
    token = await appGraphToken(emulator)
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.context.directory.reset())

  const batch = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${emulator.url}/v1.0/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const byId = (items: BatchItemAnswer[]) => new Map(items.map((item) => [item.id, item]))

  it('refuses the envelope without a token, in Graph error shape', async () => {
    const response = await graphFetch(emulator, undefined, 'POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: `/users/${seeded.inviter.id}` }],
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect((await graphErrorOf(response)).code).toBe('InvalidAuthenticationToken')
  })

  it('runs independent items, answers 200 with a status, headers and body per item, in request order', async () => {
    const response = await batch(
      {
        requests: [
          { id: '1', method: 'GET', url: `/users/${seeded.inviter.id}?$select=id,displayName` },
          { id: '2', method: 'GET', url: 'users/00000000-0000-4000-8000-00000000dead' },
          {
            id: '3',
            method: 'POST',
            url: '/invitations',
            headers: { 'Content-Type': 'application/json' },
            body: invitationBody('ada@fabrikam.example'),
          },
        ],
      },
      { 'client-request-id': 'batch-client-request-id' },
    )
    expect(response.status).toBe(200)
    const items = await batchItemsOf(response)
    expect(items.map((item) => [item.id, item.status])).toEqual([
      ['1', 200],
      ['2', 404],
      ['3', 201],
    ])
    const [user, missing, invitation] = items
    expect(user?.headers['Content-Type']).toMatch(/^application\/json/)
    expect(user?.body).toMatchObject({ id: seeded.inviter.id, displayName: 'Megan Bowen' })
    expect(itemError(missing)).toMatchObject({
      code: 'Request_ResourceNotFound',
      innerError: { 'client-request-id': 'batch-client-request-id' },
    })
    expect(invitation?.body).toMatchObject({ invitedUserEmailAddress: 'ada@fabrikam.example' })
    expect(user?.headers).not.toHaveProperty('request-id')
  })

  it('checks permissions per item with the envelope token', async () => {
    const readOnly = await appGraphToken(emulator, { roles: ['User.Read.All'] })
    const response = await graphFetch(emulator, readOnly, 'POST', '/$batch', {
      requests: [
        { id: 'read', method: 'GET', url: `/users/${seeded.inviter.id}` },
        {
          id: 'invite',
          method: 'POST',
          url: '/invitations',
          headers: { 'content-type': 'application/json' },
          body: invitationBody('ada@fabrikam.example'),
        },
      ],
    })
    const items = byId(await batchItemsOf(response))
    expect(items.get('read')?.status).toBe(200)
    expect(items.get('invite')?.status).toBe(403)
    expect(itemError(items.get('invite'))?.code).toBe('Authorization_RequestDenied')
  })

  it('runs dependent items in order', async () => {
    const email = 'ordered@fabrikam.example'
    const response = await batch({
      requests: [
        {
          id: 'invite',
          method: 'POST',
          url: '/invitations',
          headers: { 'content-type': 'application/json' },
          body: invitationBody(email),
        },
        {
          id: 'find',
          method: 'GET',
          url: `/users?$filter=mail eq '${email}'&$select=id,mail`,
          dependsOn: ['invite'],
        },
      ],
    })
    const items = byId(await batchItemsOf(response))
    const invitation = items.get('invite')?.body as { invitedUser: { id: string } } | undefined
    expect(items.get('find')?.body).toMatchObject({
      value: [{ id: invitation?.invitedUser.id, mail: email }],
    })
    expect(invitation?.invitedUser.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers 424 for items whose dependency failed, without running them', async () => {
    const email = 'never@fabrikam.example'
    const response = await batch(
      {
        requests: [
          { id: '1', method: 'GET', url: '/users/00000000-0000-4000-8000-00000000dead' },
          {
            id: '2',
            method: 'POST',
            url: '/invitations',
            headers: { 'content-type': 'application/json' },
            body: invitationBody(email),
            dependsOn: ['1'],
          },
          { id: '3', method: 'GET', url: `/users/${seeded.inviter.id}`, dependsOn: ['2'] },
        ],
      },
      { 'client-request-id': 'dependent-batch' },
    )
    expect(response.status).toBe(200)
    const items = await batchItemsOf(response)
    expect(items.map((item) => item.status)).toEqual([404, 424, 424])
    expect(itemError(items[1])).toMatchObject({
      code: 'FailedDependency',
      innerError: { 'client-request-id': 'dependent-batch' },
    })
    expect(emulator.context.directory.invitations.size).toBe(0)
  })

  it('accepts 20 requests and refuses 21 with 400 BadRequest', async () => {
    const requests = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        id: String(index + 1),
        method: 'GET',
        url: '/users?$top=1',
      }))
    expect((await batch({ requests: requests(20) })).status).toBe(200)
    const refused = await batch({ requests: requests(21) })
    expect(refused.status).toBe(400)
    expect(await graphErrorOf(refused)).toMatchObject({
      code: 'BadRequest',
      message: 'The number of batch requests exceeds the maximum allowed (20).',
    })
  })

  it('refuses ids that repeat regardless of case', async () => {
    const refused = await batch({
      requests: [
        { id: 'a', method: 'GET', url: '/users?$top=1' },
        { id: 'A', method: 'GET', url: '/users?$top=1' },
      ],
    })
    expect(refused.status).toBe(400)
    expect((await graphErrorOf(refused)).message).toBe('Request Id A has to be unique in a batch.')
  })

  it('answers an item whose URL still carries the version as Graph does: a missing segment', async () => {
    const response = await batch({
      requests: [{ id: '1', method: 'GET', url: `/v1.0/users/${seeded.inviter.id}` }],
    })
    const [item] = await batchItemsOf(response)
    expect(item?.status).toBe(400)
    expect(itemError(item)).toMatchObject({
      code: 'BadRequest',
      message: "Resource not found for the segment 'v1.0'.",
    })
  })

  it('works with the Graph SDK batching classes', async () => {
    const client = graphSdkClient(emulator, token)
    // SDK 3.0.7 strips only scheme and host, so these URLs leave out the version (its maintainers' advice, #1451).
    const content = new BatchRequestContent([
      {
        id: 'admin',
        request: new Request(`${emulator.url}/users/${seeded.admin.id}?$select=id,userPrincipalName`),
      },
      {
        id: 'invite',
        request: new Request(`${emulator.url}/invitations`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(invitationBody('sdk@fabrikam.example')),
        }),
      },
    ])
    const answer = new BatchResponseContent(await client.api('/$batch').post(await content.getContent()))
    const admin = answer.getResponseById('admin')
    expect(admin?.status).toBe(200)
    expect(await admin?.json()).toMatchObject({ id: seeded.admin.id, userPrincipalName: seeded.admin.upn })
    const invitation = answer.getResponseById('invite') as Response
    expect(invitation.status).toBe(201)
    expect(await invitation.json()).toMatchObject({ invitedUserEmailAddress: 'sdk@fabrikam.example' })
  })
})
