import { describe, expect, it } from 'vitest'
import { INVALID_BATCH_PAYLOAD, parseBatchPayload } from '../src/graph/batch-payload.js'

const get = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  method: 'GET',
  url: '/users',
  ...extra,
})

function messageOf(payload: unknown): string | undefined {
  const result = parseBatchPayload(payload)
  return result.ok ? undefined : result.message
}

describe('parseBatchPayload', () => {
  it('normalises items: upper-case method, leading slash, empty headers and dependencies', () => {
    const result = parseBatchPayload({ requests: [{ id: '1', method: 'get', url: 'users?$top=1' }] })
    expect(result).toEqual({
      ok: true,
      items: [{ id: '1', method: 'GET', url: '/users?$top=1', headers: {}, body: undefined, dependsOn: [] }],
    })
  })

  it.each([
    ['no body', undefined],
    ['no requests', {}],
    ['an empty batch', { requests: [] }],
    ['requests that are not a list', { requests: { id: '1' } }],
    ['an item without id', { requests: [{ method: 'GET', url: '/users' }] }],
    ['a numeric id', { requests: [{ id: 1, method: 'GET', url: '/users' }] }],
    ['an unknown method', { requests: [get('1', { method: 'HEAD' })] }],
    ['an item without url', { requests: [{ id: '1', method: 'GET' }] }],
    ['an absolute url', { requests: [get('1', { url: 'https://graph.microsoft.com/v1.0/users' })] }],
    ['headers that are not strings', { requests: [get('1', { headers: { 'x-count': 1 } })] }],
    ['dependsOn that is not a list', { requests: [get('1'), get('2', { dependsOn: '1' })] }],
    ['a dependency outside the batch', { requests: [get('1'), get('2', { dependsOn: ['9'] })] }],
    ['a request depending on itself', { requests: [get('1'), get('2', { dependsOn: ['2'] })] }],
    [
      'a dependency loop',
      { requests: [get('1'), get('2', { dependsOn: ['3'] }), get('3', { dependsOn: ['2'] })] },
    ],
  ])('refuses %s as an invalid batch payload', (_case, payload) => {
    expect(messageOf(payload)).toBe(INVALID_BATCH_PAYLOAD)
  })

  it('allows 20 requests and refuses 21', () => {
    const requests = (count: number) => Array.from({ length: count }, (_, index) => get(String(index)))
    expect(parseBatchPayload({ requests: requests(20) }).ok).toBe(true)
    expect(messageOf({ requests: requests(21) })).toBe(
      'The number of batch requests exceeds the maximum allowed (20).',
    )
  })

  it('compares ids without regard to case', () => {
    expect(messageOf({ requests: [get('Invite'), get('INVITE')] })).toBe(
      'Request Id INVITE has to be unique in a batch.',
    )
  })

  it('requires a body and a Content-Type header on writes, in any header case', () => {
    const post = (extra: Record<string, unknown>) => ({
      id: 'w',
      method: 'POST',
      url: '/invitations',
      ...extra,
    })
    const expected = 'Write request id : w does not contain Content-Type header or body.'
    expect(messageOf({ requests: [post({ body: {} })] })).toBe(expected)
    expect(messageOf({ requests: [post({ headers: { 'Content-Type': 'application/json' } })] })).toBe(
      expected,
    )
    expect(
      parseBatchPayload({ requests: [post({ body: {}, headers: { 'CONTENT-TYPE': 'application/json' } })] })
        .ok,
    ).toBe(true)
    expect(
      parseBatchPayload({ requests: [{ id: 'd', method: 'DELETE', url: '/groups/g/members/u/$ref' }] }).ok,
    ).toBe(true)
  })

  it('accepts a fully parallel batch and a chain started by one independent request', () => {
    expect(parseBatchPayload({ requests: [get('1'), get('2'), get('3')] }).ok).toBe(true)
    const chain = [
      get('1'),
      get('2', { dependsOn: ['1'] }),
      get('4', { dependsOn: ['2'] }),
      get('3', { dependsOn: ['4'] }),
    ]
    expect(parseBatchPayload({ requests: chain }).ok).toBe(true)
    expect(parseBatchPayload({ requests: [get('a'), get('b', { dependsOn: ['A'] })] }).ok).toBe(true)
  })

  it('refuses a batch mixing dependent and independent requests', () => {
    expect(messageOf({ requests: [get('1'), get('2', { dependsOn: ['1'] }), get('3')] })).toBe(
      'Batch should be either fully sequential or fully parallel.',
    )
  })
})
