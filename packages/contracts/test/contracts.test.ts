import { Value } from '@sinclair/typebox/value'
import { describe, expect, it } from 'vitest'
import {
  bulkColumnName,
  CreateInvitationRequest,
  constraints,
  isProblemCode,
  isValidEmail,
  problemCatalogue,
} from '../src/index.js'

describe('bulkColumnName', () => {
  it("names a column by its header without the [key], the hint and 'Required'", () => {
    expect(bulkColumnName('inviteeEmail', 'Email address to invite [inviteeEmail] Required')).toBe(
      'Email address to invite',
    )
    expect(bulkColumnName('sendEmail', 'Send invitation message (true or false) [sendEmail]')).toBe(
      'Send invitation message',
    )
    // the template's header when the file's is not given, the key or the cell when nothing is left
    expect(bulkColumnName('usageLocation')).toBe('Usage location')
    expect(bulkColumnName('sendEmail', '[sendEmail]')).toBe('sendEmail')
    expect(bulkColumnName(null, 'column 3')).toBe('column 3')
  })
})

describe('isValidEmail', () => {
  it.each([
    'ada@fabrikam.example',
    'first.last-name@sub.example.co',
    "o'brien@example.ie",
    'ada_l@x.example',
  ])('accepts %s', (email) => {
    expect(isValidEmail(email)).toBe(true)
  })
  it.each([
    // The directory refuses these in invitations: refuse them before Graph does.
    'first+tag@x.example',
    'ada!lovelace@fabrikam.example',
    '.ada@fabrikam.example',
    'ada-@fabrikam.example',
    'ada',
    'ada@fabrikam',
    'ada @fabrikam.example',
    'ada@@fabrikam.example',
    '@fabrikam.example',
    'ada@-fabrikam.example',
    `${'a'.repeat(250)}@x.example`,
  ])('refuses %s', (email) => {
    expect(isValidEmail(email)).toBe(false)
  })
})

describe('CreateInvitationRequest', () => {
  it('is the same check as isValidEmail for the email field', () => {
    for (const email of ['ada@fabrikam.example', 'ada@fabrikam', 'a b@c.example']) {
      expect(Value.Check(CreateInvitationRequest, { email })).toBe(isValidEmail(email))
    }
  })
  it('refuses a message over the limit and unknown properties', () => {
    expect(
      Value.Check(CreateInvitationRequest, {
        email: 'ada@fabrikam.example',
        message: 'x'.repeat(constraints.messageMaxLength + 1),
      }),
    ).toBe(false)
    expect(Value.Check(CreateInvitationRequest, { email: 'ada@fabrikam.example', admin: true })).toBe(false)
  })
})

describe('problemCatalogue', () => {
  it('gives every code an HTTP error status and a sentence', () => {
    for (const [code, entry] of Object.entries(problemCatalogue)) {
      expect(isProblemCode(code)).toBe(true)
      expect(entry.status).toBeGreaterThanOrEqual(400)
      expect(entry.title).toMatch(/\.$/)
    }
    expect(isProblemCode('nope')).toBe(false)
  })
})
