import { describe, expect, it } from 'vitest'
import {
  clientErrorTraits,
  isRetryable,
  parseRetryAfter,
  problemCatalogue,
  problemCodes,
  problemField,
  problemResponses,
  problemTraits,
} from '../src/index.js'

describe('the catalogue', () => {
  it('holds every code once in each table, and merges them', () => {
    expect(Object.keys(problemResponses)).toEqual(problemCodes)
    expect(Object.keys(problemCatalogue)).toEqual(problemCodes)
    expect(problemCatalogue.rate_limited).toEqual({
      status: 429,
      title: 'Too many requests; try again later.',
      retryable: true,
    })
    expect(problemCatalogue.domain_not_allowed).toMatchObject({
      status: 400,
      retryable: false,
      field: 'email',
    })
  })

  it('says which codes may succeed later unchanged', () => {
    const retryable = [
      ...problemCodes,
      ...(Object.keys(clientErrorTraits) as (keyof typeof clientErrorTraits)[]),
    ]
      .filter(isRetryable)
      .sort()
    expect(retryable).toEqual(
      [
        // Another approver's decision is being carried out; the same request is answered once it is.
        'approval_in_progress',
        'graph_throttled',
        'idempotency_in_progress',
        'interaction_in_progress',
        'internal_error',
        'invalid_response',
        'network_error',
        'invitation_quota_exceeded',
        // A follow-up step's code: the step succeeds unchanged once an administrator adds licence units.
        'license_unavailable',
        'rate_limited',
        'upstream_error',
        'upstream_unavailable',
      ].sort(),
    )
  })

  it('names the request field a code is about', () => {
    expect(problemField('redirect_url_not_allowed')).toBe('redirectUrl')
    expect(problemField('domain_not_allowed')).toBe('email')
    expect(problemField('already_member')).toBe('email')
    expect(problemField('message_links_not_allowed')).toBe('message')
    expect(problemField('preset_not_allowed')).toBe('presetId')
    expect(problemField('reason_required')).toBe('reason')
    expect(problemField('access_days_not_allowed')).toBe('accessDays')
    expect(problemField('rate_limited')).toBeUndefined()
    expect(problemField('network_error')).toBeUndefined()
    expect(Object.values(problemTraits).filter((traits) => 'field' in traits)).toHaveLength(7)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:27:30 GMT')

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120')).toBe(120)
    expect(parseRetryAfter(' 0 ')).toBe(0)
  })

  it('reads an HTTP-date as seconds from now, rounded up and never below 0', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(30)
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:30 GMT', now + 500)).toBe(0)
    expect(parseRetryAfter('Tue, 20 Oct 2026 07:28:00 GMT', now)).toBe(0)
    // The obsolete forms RFC 9110 still asks recipients to read.
    expect(parseRetryAfter('Wednesday, 21-Oct-26 07:28:00 GMT', now)).toBe(30)
    expect(
      parseRetryAfter('Wed Oct 21 07:28:00 2026', now - new Date(now).getTimezoneOffset() * 60_000),
    ).toBe(30)
  })

  it('gives undefined for an absent or unreadable header', () => {
    for (const value of [null, undefined, '', '  ', '-5', '1.5', '2026-10-21', 'soon', 'Someday'])
      expect(parseRetryAfter(value, now)).toBeUndefined()
  })
})
