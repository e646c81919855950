import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { appGraphToken, batchItemsOf, graphErrorOf, graphFetch, itemError } from './graph-calls.js'
import { graphClient, graphFailure } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

describe('unknown Graph routes answer as Graph does', () => {
  let emulator: RunningEmulator
  let token: string

  beforeAll(async () => {
    emulator = await startTestEmulator()
    token = await appGraphToken(emulator)
  })
  afterAll(() => emulator.close())

  it("answers 400 BadRequest naming the first unknown segment, in Graph's error shape with request ids", async () => {
    const response = await graphFetch(emulator, token, 'GET', '/userz')
    const nested = await graphFetch(emulator, token, 'GET', `/users/${seeded.inviter.id}/bogus`)

    expect(response.status).toBe(400)
    expect(response.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await graphErrorOf(response)).toEqual({
      code: 'BadRequest',
      message: "Resource not found for the segment 'userz'.",
      innerError: {
        date: expect.any(String),
        'request-id': response.headers.get('request-id'),
        'client-request-id': response.headers.get('client-request-id'),
      },
    })
    expect(await graphErrorOf(nested)).toMatchObject({
      code: 'BadRequest',
      message: "Resource not found for the segment 'bogus'.",
    })
  })

  it('answers the same through the Graph SDK', async () => {
    const error = await graphFailure(graphClient(emulator, token).api('/directoryRoleTemplatez').get())

    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'BadRequest',
      "Resource not found for the segment 'directoryRoleTemplatez'.",
    ])
  })

  it('answers 405 for a known resource asked with a method the emulator does not serve', async () => {
    const response = await graphFetch(emulator, token, 'PUT', '/invitations', {})

    expect(response.status).toBe(405)
    expect(await graphErrorOf(response)).toMatchObject({
      code: 'Request_BadRequest',
      message: 'Specified HTTP method is not allowed for the request target.',
    })
  })

  it('answers an unknown segment inside $batch as a 400 item', async () => {
    const response = await graphFetch(emulator, token, 'POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/groupz' },
        { id: '2', method: 'GET', url: `/groups/${seeded.apolloGroupId}?$select=id` },
      ],
    })
    const [unknown, known] = await batchItemsOf(response)

    expect(unknown?.status).toBe(400)
    expect(itemError(unknown)).toMatchObject({
      code: 'BadRequest',
      message: "Resource not found for the segment 'groupz'.",
    })
    expect(known?.status).toBe(200)
  })

  it("keeps Fastify's 404 outside Graph", async () => {
    const response = await fetch(`${emulator.url}/nowhere`)

    expect(response.status).toBe(404)
  })
})
