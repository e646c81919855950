import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSelfSignedCertificate } from '@entra-share/emulator'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/load-config.js'

const TENANT = 'c0de0000-0000-4000-8000-000000000001'
const CLIENT = 'bff00000-0000-4000-8000-00000000b001'
const minimal = {
  ENTRA_SHARE_TENANT_ID: TENANT,
  ENTRA_SHARE_CLIENT_ID: CLIENT,
  ENTRA_SHARE_CLIENT_SECRET: 's3cret',
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bff-config-')), name)
  writeFileSync(path, content)
  return path
}

describe('loadConfig', () => {
  it("fills Microsoft's defaults around the three required variables", () => {
    const config = loadConfig(minimal)
    expect(config).toMatchObject({
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { kind: 'secret', clientSecret: 's3cret' },
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      audiences: [CLIENT, `api://${CLIENT}`],
      allowedTenantIds: [TENANT],
      requiredScope: 'Invitations.Send',
      graphMode: 'delegated',
      emailMode: 'microsoft',
      defaultRedirectUrl: `https://myapplications.microsoft.com/?tenantid=${TENANT}`,
      dataDir: '.data/bff',
      rateLimits: { perUserPerMinute: 30, perTenantPerMinute: 600 },
    })
    expect(config.databaseUrl).toBeUndefined()
  })

  it('names every bad variable in one error', () => {
    const problems = problemsOf({
      ENTRA_SHARE_TENANT_ID: 'contoso',
      ENTRA_SHARE_AUTHORITY_HOST: 'http://login.example',
      ENTRA_SHARE_GRAPH_MODE: 'superuser',
      ENTRA_SHARE_CORS_ORIGINS: 'https://app.example/path',
      ENTRA_SHARE_BLOCKED_DOMAINS: 'not a domain',
      ENTRA_SHARE_RATE_LIMIT_PER_USER: '-3',
      DATABASE_URL: 'mysql://x',
    })
    const text = problems.join('\n')
    for (const name of [
      'ENTRA_SHARE_TENANT_ID must be a GUID',
      'ENTRA_SHARE_CLIENT_ID is required',
      'Set one credential',
      'ENTRA_SHARE_AUTHORITY_HOST must be an https URL',
      'ENTRA_SHARE_GRAPH_MODE must be one of delegated, app',
      "ENTRA_SHARE_CORS_ORIGINS: 'https://app.example/path' is not an origin",
      "ENTRA_SHARE_BLOCKED_DOMAINS: 'not a domain' is not a domain name",
      'ENTRA_SHARE_RATE_LIMIT_PER_USER must be a whole number',
      'DATABASE_URL must be a postgres:// URL',
    ])
      expect(text).toContain(name)
    expect(problems).toHaveLength(9)
  })

  it('refuses two credentials at once, and smtp mode without a server', () => {
    expect(problemsOf({ ...minimal, ENTRA_SHARE_CLIENT_ASSERTION_FILE: '/nope' }).join()).toContain(
      'Set only one of',
    )
    const smtp = problemsOf({ ...minimal, ENTRA_SHARE_EMAIL_MODE: 'smtp' }).join('\n')
    expect(smtp).toContain('ENTRA_SHARE_SMTP_URL must be an smtp://')
    expect(smtp).toContain('ENTRA_SHARE_SMTP_FROM is required')
  })

  it('refuses a configuration that would accept any token of the tenant', () => {
    expect(problemsOf({ ...minimal, ENTRA_SHARE_REQUIRED_SCOPE: '' }).join()).toContain(
      'every token of the tenant would be accepted',
    )
    expect(
      loadConfig({ ...minimal, ENTRA_SHARE_REQUIRED_SCOPE: '', ENTRA_SHARE_REQUIRED_ROLES: 'Invite' }),
    ).toMatchObject({
      requiredScope: null,
      requiredRoles: ['Invite'],
    })
  })

  it('reads a certificate credential: SHA-256 thumbprint and x5c from the PEM', () => {
    const { keyPem, certPem } = createSelfSignedCertificate('entra-share-bff')
    const path = tempFile('bff.pem', `${keyPem}\n${certPem}`)
    const { ENTRA_SHARE_CLIENT_SECRET: _, ...noSecret } = minimal
    const config = loadConfig({ ...noSecret, ENTRA_SHARE_CLIENT_CERTIFICATE_PATH: path })
    expect(config.credential).toMatchObject({
      kind: 'certificate',
      privateKeyPem: expect.stringContaining('PRIVATE KEY'),
    })
    expect(config.credential.kind === 'certificate' && config.credential.thumbprintSha256).toMatch(
      /^[0-9a-f]{64}$/,
    )
    expect(
      problemsOf({ ...noSecret, ENTRA_SHARE_CLIENT_CERTIFICATE_PATH: tempFile('c.pem', certPem) }).join(),
    ).toContain('must hold both the PEM private key and the PEM certificate')
  })

  it('reads group presets and says where a preset file is wrong', () => {
    const good = tempFile(
      'presets.json',
      JSON.stringify([
        {
          id: 'apollo',
          label: 'Project Apollo partners',
          groupIds: ['00000000-0000-4000-8000-0000000b0001'],
          attributes: { usageLocation: 'GB' },
        },
      ]),
    )
    expect(loadConfig({ ...minimal, ENTRA_SHARE_PRESETS_FILE: good }).presets[0]).toMatchObject({
      id: 'apollo',
    })
    const bad = tempFile('bad.json', JSON.stringify([{ id: 'apollo', label: 'x', groupIds: ['not-a-guid'] }]))
    expect(problemsOf({ ...minimal, ENTRA_SHARE_PRESETS_FILE: bad }).join()).toMatch(
      /ENTRA_SHARE_PRESETS_FILE: .*bad\.json at \/0\/groupIds\/0/,
    )
    expect(problemsOf({ ...minimal, ENTRA_SHARE_PRESETS_FILE: '/does/not/exist.json' }).join()).toContain(
      'cannot read JSON from /does/not/exist.json',
    )
  })

  it('reads a review policy and says what is wrong with one (issue 13)', () => {
    const preset = { id: 'reviewed', label: 'Reviewed', groupIds: [] }
    const file = (name: string, review: object, extra: object = {}) =>
      tempFile(name, JSON.stringify([{ ...preset, ...extra, review }]))
    const review = { everyDays: 90, default: 'remove' }
    expect(
      loadConfig({ ...minimal, ENTRA_SHARE_PRESETS_FILE: file('review.json', review) }).presets[0]?.review,
    ).toEqual(review)
    expect(
      problemsOf({ ...minimal, ENTRA_SHARE_PRESETS_FILE: file('no-default.json', { everyDays: 90 }) }).join(),
    ).toMatch(
      /no-default\.json at \/0\/review\/default: Expected required property .*"default": "remove" \| "keep"/,
    )
    expect(
      problemsOf({
        ...minimal,
        ENTRA_SHARE_PRESETS_FILE: file('review-after-expiry.json', review, { accessDays: 30 }),
      }).join(),
    ).toContain(
      "preset 'reviewed' sets review.everyDays 90, not fewer than its accessDays 30: the access ends before the first review",
    )
  })
})

describe('domain rules', () => {
  it('accepts *.domain entries (their subdomains, as checkEmailDomain matches them) and refuses other wildcards', () => {
    const config = loadConfig({
      ...minimal,
      ENTRA_SHARE_ALLOWED_DOMAINS: '*.Fabrikam.example, fabrikam.example',
      ENTRA_SHARE_BLOCKED_DOMAINS: '*.competitor.example',
    })
    expect(config.allowedDomains).toEqual(['*.fabrikam.example', 'fabrikam.example'])
    expect(config.blockedDomains).toEqual(['*.competitor.example'])
    for (const wrong of ['*', '*.', 'a.*.example', '**.fabrikam.example'])
      expect(problemsOf({ ...minimal, ENTRA_SHARE_ALLOWED_DOMAINS: wrong }).join()).toContain(
        `ENTRA_SHARE_ALLOWED_DOMAINS: '${wrong}' is not a domain name`,
      )
  })

  it('accepts a preset usage location in either case', () => {
    const presets = tempFile(
      'presets-lower.json',
      JSON.stringify([{ id: 'gb', label: 'GB', groupIds: [], attributes: { usageLocation: 'gb' } }]),
    )
    expect(loadConfig({ ...minimal, ENTRA_SHARE_PRESETS_FILE: presets }).presets[0]?.attributes).toEqual({
      usageLocation: 'gb',
    })
  })
})

describe('ENTRA_SHARE_MESSAGE_LINKS', () => {
  it("defaults to 'none', reads 'allowlist' and 'any', and refuses anything else naming the variable", () => {
    expect(loadConfig(minimal).messageLinks).toBe('none')
    expect(loadConfig({ ...minimal, ENTRA_SHARE_MESSAGE_LINKS: 'allowlist' }).messageLinks).toBe('allowlist')
    expect(loadConfig({ ...minimal, ENTRA_SHARE_MESSAGE_LINKS: ' any ' }).messageLinks).toBe('any')
    expect(problemsOf({ ...minimal, ENTRA_SHARE_MESSAGE_LINKS: 'some' })).toEqual([
      'ENTRA_SHARE_MESSAGE_LINKS must be one of none, allowlist, any (got some).',
    ])
  })
})

describe('bearer token settings', () => {
  it('ENTRA_SHARE_TOKEN_MAX_LIFETIME_SECONDS defaults to one day (Entra’s longest) and refuses less than 10 minutes', () => {
    expect(loadConfig(minimal).maxTokenLifetimeSeconds).toBe(86_400)
    expect(
      loadConfig({ ...minimal, ENTRA_SHARE_TOKEN_MAX_LIFETIME_SECONDS: '7200' }).maxTokenLifetimeSeconds,
    ).toBe(7200)
    expect(problemsOf({ ...minimal, ENTRA_SHARE_TOKEN_MAX_LIFETIME_SECONDS: '60' })).toEqual([
      'ENTRA_SHARE_TOKEN_MAX_LIFETIME_SECONDS must be a whole number of at least 600 (got 60).',
    ])
  })

  it('ENTRA_SHARE_ALLOWED_CLIENT_IDS: empty by default (the validator then refuses every client), GUIDs only', () => {
    expect(loadConfig(minimal).allowedClientIds).toEqual([])
    expect(
      loadConfig({
        ...minimal,
        ENTRA_SHARE_ALLOWED_CLIENT_IDS:
          '5A000000-0000-4000-8000-00000000A001, c11e0000-0000-4000-8000-00000000c001',
      }).allowedClientIds,
    ).toEqual(['5a000000-0000-4000-8000-00000000a001', 'c11e0000-0000-4000-8000-00000000c001'])
    expect(problemsOf({ ...minimal, ENTRA_SHARE_ALLOWED_CLIENT_IDS: 'my-spa' })).toEqual([
      "ENTRA_SHARE_ALLOWED_CLIENT_IDS: 'my-spa' is not an application (client) id GUID.",
    ])
  })
})
