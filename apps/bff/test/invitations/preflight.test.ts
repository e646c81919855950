import { constraints } from '@entra-share/contracts'
import { describe, expect, it } from 'vitest'
import type { GroupPreset } from '../../src/config.js'
import {
  checkEmailDomain,
  mergeAttributes,
  planInvitation,
  resolvePreset,
  resolveRedirectUrl,
  sanitiseDisplayName,
  sanitiseMessage,
} from '../../src/invitations/preflight.js'
import { isProblemError, type ProblemError } from '../../src/platform/problem-error.js'

const apollo: GroupPreset = {
  id: 'apollo',
  label: 'Project Apollo',
  groupIds: ['00000000-0000-4000-8000-0000000b0001'],
  attributes: { usageLocation: 'GB', givenName: 'Partner' },
}
const portal: GroupPreset = {
  id: 'portal',
  label: 'Partner portal',
  groupIds: ['00000000-0000-4000-8000-0000000b0002'],
  allowedRoles: ['Invitations.Admin'],
}

const config = {
  redirectOrigins: ['https://apps.contoso.example', 'http://localhost:5173'],
  defaultRedirectUrl: 'https://portal.contoso.example/welcome',
  allowedDomains: [] as string[],
  blockedDomains: ['blocked.example', '*.spam.example'],
  presets: [apollo, portal],
}

function thrown(action: () => unknown): ProblemError {
  try {
    action()
  } catch (error) {
    if (isProblemError(error)) return error
    throw error
  }
  throw new Error('expected a ProblemError')
}

describe('resolveRedirectUrl', () => {
  it('uses the default when none is asked for, and accepts allowed origins (normalised)', () => {
    expect(resolveRedirectUrl(config, undefined)).toBe('https://portal.contoso.example/welcome')
    expect(resolveRedirectUrl(config, 'https://apps.contoso.example/welcome?x=1#top')).toBe(
      'https://apps.contoso.example/welcome?x=1#top',
    )
    expect(resolveRedirectUrl(config, 'HTTPS://Apps.Contoso.Example:443/a')).toBe(
      'https://apps.contoso.example/a',
    )
    // The default URL's origin is always allowed.
    expect(resolveRedirectUrl(config, 'https://portal.contoso.example/other')).toBe(
      'https://portal.contoso.example/other',
    )
    expect(resolveRedirectUrl(config, 'http://localhost:5173/dev')).toBe('http://localhost:5173/dev')
  })

  it.each([
    ['another host', 'https://evil.example/welcome'],
    ['a lookalike suffix', 'https://apps.contoso.example.evil.example/'],
    ['another port', 'https://apps.contoso.example:8443/'],
    ['plain http on an allowed host name', 'http://apps.contoso.example/'],
    ['plain http on a loopback origin not on the list', 'http://127.0.0.1:5173/'],
    ['user info pointing elsewhere', 'https://apps.contoso.example@evil.example/'],
    ['user info with a password', 'https://user:pass@apps.contoso.example/'],
    ['empty user info', 'https://@apps.contoso.example/'],
    ['javascript:', 'javascript:alert(document.domain)//https://apps.contoso.example'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['protocol-relative', '//evil.example/'],
    ['a relative path', '/welcome'],
    ['scheme without slashes', 'https:evil.example'],
    ['scheme with one slash', 'https:/evil.example'],
    ['backslashes', 'https://apps.contoso.example\\@evil.example/'],
    ['backslash authority', 'https:\\\\evil.example'],
    ['a tab inside the host', 'https://apps.contoso.exa\tmple.evil.example/'],
    ['a newline', 'https://apps.contoso.example/\nLocation: https://evil.example'],
    ['leading space', ' https://apps.contoso.example/'],
    ['an encoded @ in the host', 'https://apps.contoso.example%40evil.example/'],
    ['a file URL', 'file:///etc/passwd'],
    ['too long', `https://apps.contoso.example/${'a'.repeat(constraints.redirectUrlMaxLength)}`],
  ])('refuses %s', (_why, url) => {
    const problem = thrown(() => resolveRedirectUrl(config, url))
    expect(problem.code).toBe('redirect_url_not_allowed')
    expect(problem.extras.errors?.[0]?.field).toBe('redirectUrl')
  })
})

describe('checkEmailDomain', () => {
  it('returns the lower-cased domain of an address that is not blocked', () => {
    expect(checkEmailDomain(config, 'Ada@Fabrikam.Example')).toBe('fabrikam.example')
  })

  it('refuses a blocked domain, naming it, and a subdomain of a wildcard entry', () => {
    const problem = thrown(() => checkEmailDomain(config, 'eve@BLOCKED.example'))
    expect(problem.code).toBe('domain_not_allowed')
    expect(problem.extras.detail).toBe("Invitations to 'blocked.example' are not allowed.")
    expect(thrown(() => checkEmailDomain(config, 'x@mail.spam.example')).code).toBe('domain_not_allowed')
    // `*.spam.example` is about subdomains; `notblocked.example` is not `blocked.example`.
    expect(checkEmailDomain(config, 'x@spam.example')).toBe('spam.example')
    expect(checkEmailDomain(config, 'x@notblocked.example')).toBe('notblocked.example')
  })

  it('with an allow list, refuses every other domain; the deny list still wins', () => {
    const allowOnly = {
      allowedDomains: ['fabrikam.example', 'blocked.example'],
      blockedDomains: ['blocked.example'],
    }
    expect(checkEmailDomain(allowOnly, 'ada@fabrikam.example')).toBe('fabrikam.example')
    expect(thrown(() => checkEmailDomain(allowOnly, 'ada@northwind.example')).extras.detail).toBe(
      "Invitations to 'northwind.example' are not allowed.",
    )
    expect(thrown(() => checkEmailDomain(allowOnly, 'eve@blocked.example')).code).toBe('domain_not_allowed')
  })
})

describe('resolvePreset', () => {
  it('returns null for no preset, the preset when allowed', () => {
    expect(resolvePreset(config, { roles: [] }, undefined)).toBeNull()
    expect(resolvePreset(config, { roles: [] }, 'apollo')).toBe(apollo)
    expect(resolvePreset(config, { roles: ['Invitations.Admin'] }, 'portal')).toBe(portal)
  })

  it('refuses an unknown preset and a preset whose roles the caller lacks, alike', () => {
    expect(thrown(() => resolvePreset(config, { roles: [] }, 'nope')).code).toBe('preset_not_allowed')
    expect(thrown(() => resolvePreset(config, { roles: ['Other'] }, 'portal')).code).toBe(
      'preset_not_allowed',
    )
  })
})

describe('sanitising', () => {
  it('strips control characters from messages, keeps tabs and newlines, trims, caps', () => {
    expect(sanitiseMessage('  Welcome\u0007 aboard!\u001b[31m\n\tSee you \u0085soon. ')).toBe(
      'Welcome aboard![31m\n\tSee you soon.',
    )
    expect(sanitiseMessage(undefined)).toBeNull()
    expect(sanitiseMessage(' \u0000 \n ')).toBeNull()
    expect(sanitiseMessage('a'.repeat(5000))).toHaveLength(constraints.messageMaxLength)
    // A cut never leaves half an emoji.
    const emoji = `${'a'.repeat(constraints.messageMaxLength - 1)}😀`
    expect(sanitiseMessage(emoji)).toBe('a'.repeat(constraints.messageMaxLength - 1))
  })

  it('makes display names one clean line', () => {
    expect(sanitiseDisplayName(' Ada\n\t Lovelace\u0000 ')).toBe('Ada Lovelace')
    expect(sanitiseDisplayName('\u0001')).toBeNull()
    expect(sanitiseDisplayName('x'.repeat(400))).toHaveLength(constraints.displayNameMaxLength)
  })

  it("merges the preset's attributes under the request's", () => {
    expect(mergeAttributes(apollo.attributes, { givenName: 'Ada', surname: 'Lovelace' })).toEqual({
      givenName: 'Ada',
      surname: 'Lovelace',
      usageLocation: 'GB',
    })
    expect(mergeAttributes(undefined, { usageLocation: 'fr' })).toEqual({ usageLocation: 'FR' })
    expect(mergeAttributes(undefined, undefined)).toEqual({})
  })
})

describe('planInvitation', () => {
  it('puts every check together', () => {
    const plan = planInvitation(
      config,
      { roles: [] },
      {
        email: ' ada@fabrikam.example ',
        displayName: 'Ada  Lovelace',
        presetId: 'apollo',
        message: 'Hello\u0007',
        redirectUrl: 'https://apps.contoso.example/welcome',
        attributes: { surname: 'Lovelace' },
      },
    )
    expect(plan).toEqual({
      email: 'ada@fabrikam.example',
      domain: 'fabrikam.example',
      redirectUrl: 'https://apps.contoso.example/welcome',
      displayName: 'Ada Lovelace',
      message: 'Hello',
      preset: apollo,
      attributes: { givenName: 'Partner', surname: 'Lovelace', usageLocation: 'GB' },
      groupIds: apollo.groupIds,
      approval: null,
      reason: null,
      accessDays: null,
    })
  })

  it('issue 13: a preset with an approval waits for one (reason when required), or is refused where none can come', () => {
    const reviewed: GroupPreset = {
      ...apollo,
      id: 'reviewed',
      approval: { approvers: ['Invitations.Admin'], reasonRequired: true },
      accessDays: 30,
    }
    const governed = { ...config, presets: [reviewed] }
    const ask = { email: 'ada@fabrikam.example', presetId: 'reviewed' }
    expect(thrown(() => planInvitation(governed, { roles: [] }, ask, 'request')).code).toBe('reason_required')
    expect(
      thrown(() => planInvitation(governed, { roles: [] }, { ...ask, reason: '\u0007 ' }, 'request')).code,
    ).toBe('reason_required')
    expect(
      planInvitation(governed, { roles: [] }, { ...ask, reason: 'Design review', accessDays: 10 }, 'request'),
    ).toMatchObject({ approval: reviewed.approval, reason: 'Design review', accessDays: 10 })
    // A bulk row or a host's provisioning call: nobody could approve it.
    expect(thrown(() => planInvitation(governed, { roles: [] }, ask)).code).toBe('approval_required')
    // Approved: the saga goes ahead with the preset's term.
    expect(planInvitation(governed, { roles: [] }, ask, 'granted')).toMatchObject({
      approval: null,
      accessDays: 30,
    })
    expect(
      thrown(() => planInvitation(governed, { roles: [] }, { ...ask, accessDays: 31 }, 'granted')).code,
    ).toBe('access_days_not_allowed')
    expect(
      thrown(() => planInvitation(config, { roles: [] }, { ...ask, presetId: 'apollo', accessDays: 1 })).code,
    ).toBe('access_days_not_allowed')
  })

  it('refuses an address that is not one', () => {
    const problem = thrown(() => planInvitation(config, { roles: [] }, { email: 'ada@fabrikam' }))
    expect(problem.code).toBe('invalid_request')
    expect(problem.extras.errors?.[0]?.field).toBe('email')
  })
})

describe('invisible characters (bidi controls, zero-width and invisible formatting)', () => {
  // U+202E makes "Pay\u202Efdp.exe" read "Payexe.pdf"; zero-width characters and soft hyphens split words and
  // links past the reader and filters; tag characters carry invisible ASCII.
  const hidden =
    '\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069' +
    '\u200B\u2060\u2061\u2062\u2063\u2064\uFEFF\u180E\u00AD\uFFF9\uFFFA\uFFFB\u{E0041}\u{E007F}'

  it('strips them from messages, keeping tabs and newlines', () => {
    expect(sanitiseMessage(`Pay\u202Efdp.exe\u202C now,${hidden}\nthen\u200B re\u00ADview.`)).toBe(
      'Payfdp.exe now,\nthen review.',
    )
    expect(sanitiseMessage(hidden)).toBeNull()
  })

  it('strips them from display names and name attributes', () => {
    expect(sanitiseDisplayName(`\u202EAda\u200B Love${hidden}lace\u2069`)).toBe('Ada Lovelace')
    expect(sanitiseDisplayName(`\u200D${hidden}\u200C`)).toBeNull()
    expect(
      mergeAttributes(
        { givenName: 'Part\u00ADner' },
        { surname: '\u2067Love\u200Blace', usageLocation: 'g\u200Bb' },
      ),
    ).toEqual({ givenName: 'Partner', surname: 'Lovelace', usageLocation: 'GB' })
    const plan = planInvitation(
      config,
      { roles: [] },
      { email: 'ada@fabrikam.example', displayName: 'Ada\u202E Lovelace', message: 'Hi\u200B!' },
    )
    expect([plan.displayName, plan.message]).toEqual(['Ada Lovelace', 'Hi!'])
  })

  it('keeps zero-width joiners and non-joiners only where they join letters, marks or emoji', () => {
    // Persian needs U+200C between letters, Indic scripts U+200D after a virama, emoji sequences U+200D.
    expect(sanitiseDisplayName('می\u200Cخواهم')).toBe('می\u200Cخواهم')
    expect(sanitiseDisplayName('क्\u200Dष')).toBe('क्\u200Dष')
    expect(sanitiseMessage('Team 👩\u200D💻 and 👨🏽\u200D🚀')).toBe('Team 👩\u200D💻 and 👨🏽\u200D🚀')
    // Not joining anything: at an edge, beside a space, dot or digit, or in a run.
    expect(sanitiseDisplayName('\u200DAda\u200C Love\u200D\u200Dlace\u200C')).toBe('Ada Lovelace')
    expect(sanitiseMessage('evil\u200D.com 1\u200C2')).toBe('evil.com 12')
  })
})

describe('links in the personal message', () => {
  const invite = (message: string, policy?: 'none' | 'allowlist' | 'any') =>
    planInvitation(
      policy === undefined ? config : { ...config, messageLinks: policy },
      { roles: [] },
      { email: 'ada@fabrikam.example', message },
    )

  it.each([
    ['a URL', 'Log in at https://evil.example/login now', 'https://evil.example/login'],
    ['a bare domain with a path', 'Log in at evil.example/login now', 'evil.example/login'],
    ['a www. host', 'See www.x.com', 'www.x.com'],
    ['a new gTLD', 'Your files: contoso-files.online/share', 'contoso-files.online/share'],
    ['a scheme-relative URL', 'Open //evil.example/x', '//evil.example/x'],
    ['a mailto: URI', 'Write to mailto:help@evil.example', 'mailto:help@evil.example'],
    ['an IP address', 'Open 192.0.2.1/login', '192.0.2.1/login'],
    ['a domain split by a zero-width space', 'Open evil\u200B.com', 'evil.com'],
    ['a domain in fullwidth letters', 'Open ｅｖｉｌ．ｃｏｍ', 'evil.com'],
    ['a domain with an ideographic full stop', 'Open evil。com/login', 'evil.com/login'],
  ])('refuses %s by default (policy none) and names the link', (_case, message, link) => {
    for (const policy of [undefined, 'none'] as const) {
      const problem = thrown(() => invite(message, policy))
      expect(problem.code).toBe('message_links_not_allowed')
      expect(problem.status).toBe(400)
      expect(problem.message).toContain(link)
      expect(problem.extras.errors).toEqual([{ field: 'message', message: expect.stringContaining(link) }])
    }
  })

  it('passes messages without links: addresses, abbreviations, file names, version numbers', () => {
    for (const message of [
      'Welcome to Apollo! Write to grace@contoso.example with questions.',
      'Bring the usual, e.g. a laptop, i.e. yours. Meet at 10.30 a.m.',
      'The report.pdf and notes.docx are in the Apollo folder; we use Node.js 20.19.',
    ])
      expect(invite(message).message).toBe(message)
  })

  it('quotes the link in the detail sanitised and cut short, never the raw input', () => {
    const problem = thrown(() => invite(`Open https://evil.example/\u202Elogin/${'a'.repeat(500)}\u0007?x=1`))
    expect(problem.message).toContain('https://evil.example/login/aaaa')
    expect(problem.message).not.toContain('\u202E')
    expect(problem.message).not.toContain('\u0007')
    expect(problem.message).toContain('…')
    expect(problem.message.length).toBeLessThan(200)
  })

  it('allowlist: passes links to an allowed redirect origin, refuses every other link', () => {
    const allowed = [
      'Start at https://apps.contoso.example/welcome?x=1.',
      'Or https://portal.contoso.example/welcome (the default redirect) and http://localhost:5173/dev',
    ]
    for (const message of allowed) expect(invite(message, 'allowlist').message).toBe(message)
    for (const [message, link] of [
      ['Start at https://apps.contoso.example/ then https://evil.example/', 'https://evil.example/'],
      [
        'Look-alike: https://apps.contoso.example.evil.example/',
        'https://apps.contoso.example.evil.example/',
      ],
      ['Userinfo: https://apps.contoso.example@evil.example/', 'https://apps.contoso.example@evil.example/'],
      [
        'Backslash: https://apps.contoso.example\\@evil.example/',
        'https://apps.contoso.example\\@evil.example/',
      ],
      ['Plain http: http://apps.contoso.example/', 'http://apps.contoso.example/'],
      ['Bare: apps.contoso.example/welcome', 'apps.contoso.example/welcome'],
      ['Mail: mailto:help@apps.contoso.example', 'mailto:help@apps.contoso.example'],
    ] as const) {
      const problem = thrown(() => invite(message, 'allowlist'))
      expect(problem.code).toBe('message_links_not_allowed')
      expect(problem.message).toContain(link)
      expect(problem.message).toContain('https://apps.contoso.example')
    }
  })

  it('any: no check', () => {
    expect(invite('Log in at https://evil.example/login', 'any').message).toBe(
      'Log in at https://evil.example/login',
    )
  })
})
