import { describe, expect, it } from 'vitest'
import { planBulkRow } from '../../src/bulk/bulk-row-plan.js'

/** Bulk rows go through the single invitation's pre-flight: the message link policy and invisible characters. */
const config = {
  redirectOrigins: ['https://app.contoso.example'],
  defaultRedirectUrl: 'https://app.contoso.example/welcome',
  allowedDomains: [],
  blockedDomains: [],
  presets: [],
  emailMode: 'microsoft' as const,
}
const caller = { roles: [] }
const row = (customizedMessageBody: string, displayName?: string) => ({
  inviteeEmail: 'ada@fabrikam.example',
  customizedMessageBody,
  ...(displayName !== undefined ? { displayName } : {}),
})

describe('planBulkRow: links in customizedMessageBody', () => {
  it('refuses a row whose message holds a link with row code message_links_not_allowed (default none)', () => {
    for (const rowConfig of [config, { ...config, messageLinks: 'none' as const }]) {
      for (const [message, link] of [
        ['Sign in at https://evil.example/login', 'https://evil.example/login'],
        ['Sign in at evil.example/login', 'evil.example/login'],
      ] as const) {
        expect(planBulkRow(rowConfig, caller, row(message))).toEqual({
          ok: false,
          code: 'message_links_not_allowed',
          detail: expect.stringContaining(link),
        })
      }
    }
  })

  it('allowlist: passes a link to the redirect origin, refuses another; any: passes both', () => {
    const allowlist = { ...config, messageLinks: 'allowlist' as const }
    const good = 'Your space: https://app.contoso.example/projects/apollo'
    const bad = 'Your space: https://app.contoso.example.evil.example/projects/apollo'
    expect(planBulkRow(allowlist, caller, row(good))).toMatchObject({ ok: true, plan: { message: good } })
    expect(planBulkRow(allowlist, caller, row(bad))).toMatchObject({
      ok: false,
      code: 'message_links_not_allowed',
    })
    const any = { ...config, messageLinks: 'any' as const }
    expect(planBulkRow(any, caller, row(bad))).toMatchObject({ ok: true, plan: { message: bad } })
  })

  it('strips bidi overrides and zero-width characters from the message and the display name', () => {
    expect(
      planBulkRow(config, caller, row('Wel\u200Bcome\u202E!', '\u202EAda\u2066 Lovelace')),
    ).toMatchObject({
      ok: true,
      plan: { message: 'Welcome!', displayName: 'Ada Lovelace' },
    })
  })
})
