import { describe, expect, it } from 'vitest'
import { decodeEventCursor, encodeEventCursor } from '../../src/events/event-cursor.js'
import { isProblemError } from '../../src/platform/problem-error.js'

const TENANT = 'c0de0000-0000-4000-8000-000000000001'
const OTHER = 'c0de0000-0000-4000-8000-000000000002'

function refusal(cursor: string, tenantId = TENANT): string {
  try {
    decodeEventCursor(cursor, tenantId)
  } catch (error) {
    if (isProblemError(error) && error.code === 'invalid_request')
      return error.extras.errors?.[0]?.message ?? ''
    throw error
  }
  throw new Error('expected the cursor to be refused')
}

const forge = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url')

describe('the events cursor', () => {
  it('reads back what it wrote, for its own tenant only', () => {
    const cursor = encodeEventCursor({ seq: '9007199254740993', tenantId: TENANT })
    expect(decodeEventCursor(cursor, TENANT)).toEqual({ seq: '9007199254740993', tenantId: TENANT })
    expect(refusal(cursor, OTHER)).toBe("The cursor belongs to another organization's events.")
  })

  it.each([
    ['garbage', 'garbage'],
    ['a number, not text', forge({ v: 1, q: 42, t: TENANT })],
    ['zero', forge({ v: 1, q: '0', t: TENANT })],
    ['past bigint', forge({ v: 1, q: '9223372036854775808', t: TENANT })],
    ['another version', forge({ v: 2, q: '42', t: TENANT })],
    ['stray characters', `${encodeEventCursor({ seq: '42', tenantId: TENANT })}!`],
  ])('refuses %s before it reaches SQL', (_name, cursor) => {
    expect(refusal(cursor)).toBe('The cursor was not issued by this server.')
  })
})
