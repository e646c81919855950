import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/load-config.js'
import { minimalEnv as minimal, configProblems as problemsOf } from '../config-fixtures.js'

const smtp = {
  ...minimal,
  ENTRA_SHARE_EMAIL_MODE: 'smtp',
  ENTRA_SHARE_SMTP_URL: 'smtp://mail.contoso.example:587',
  ENTRA_SHARE_SMTP_FROM: 'Contoso <invites@contoso.example>',
}

describe('loadConfig: the invitation email branding (ENTRA_SHARE_EMAIL_*)', () => {
  it('gives the SMTP mailer the defaults when nothing is set', () => {
    expect(loadConfig(smtp).smtp).toEqual({
      url: 'smtp://mail.contoso.example:587',
      from: 'Contoso <invites@contoso.example>',
      branding: { appName: null, logoUrl: null, brandColor: '#0f6cbd', appUrl: null },
    })
  })

  it('reads the app name, logo, colour and app URL', () => {
    const config = loadConfig({
      ...smtp,
      ENTRA_SHARE_EMAIL_APP_NAME: '  Contoso Projects ',
      ENTRA_SHARE_EMAIL_LOGO_URL: 'https://cdn.contoso.example/brand/logo.png',
      ENTRA_SHARE_EMAIL_BRAND_COLOR: '#8A2BE2',
      ENTRA_SHARE_EMAIL_APP_URL: 'https://contoso.crm4.dynamics.com/',
    })

    expect(config.smtp?.branding).toEqual({
      appName: 'Contoso Projects',
      logoUrl: 'https://cdn.contoso.example/brand/logo.png',
      brandColor: '#8a2be2',
      appUrl: 'https://contoso.crm4.dynamics.com/',
    })
  })

  it('accepts an http app URL on a loopback host (development), but never an http logo', () => {
    expect(
      loadConfig({ ...smtp, ENTRA_SHARE_EMAIL_APP_URL: 'http://localhost:5173/' }).smtp?.branding?.appUrl,
    ).toBe('http://localhost:5173/')
    expect(problemsOf({ ...smtp, ENTRA_SHARE_EMAIL_LOGO_URL: 'http://localhost/logo.png' })).toEqual([
      'ENTRA_SHARE_EMAIL_LOGO_URL must be an https URL (got http://localhost/logo.png).',
    ])
  })

  it('refuses each bad value with a line naming its variable, in every email mode', () => {
    const bad = {
      ENTRA_SHARE_EMAIL_APP_NAME: 'Contoso\u202EProjects',
      ENTRA_SHARE_EMAIL_LOGO_URL: 'http://cdn.contoso.example/logo.png',
      ENTRA_SHARE_EMAIL_BRAND_COLOR: 'purple',
      ENTRA_SHARE_EMAIL_APP_URL: 'contoso.crm4.dynamics.com',
    }
    const expected = [
      'ENTRA_SHARE_EMAIL_APP_NAME must be one line of at most 100 characters, without control or invisible characters (got 16 characters).',
      'ENTRA_SHARE_EMAIL_LOGO_URL must be an https URL (got http://cdn.contoso.example/logo.png).',
      'ENTRA_SHARE_EMAIL_BRAND_COLOR must be a colour written #rrggbb, for example #0f6cbd (got purple).',
      'ENTRA_SHARE_EMAIL_APP_URL must be an absolute URL (got contoso.crm4.dynamics.com).',
    ]
    expect(problemsOf({ ...smtp, ...bad })).toEqual(expected)
    expect(problemsOf({ ...minimal, ...bad })).toEqual(expected)
  })

  it.each([
    ['a line break', 'Contoso\nProjects'],
    ['a tab', 'Contoso\tProjects'],
    ['101 characters', 'C'.repeat(101)],
  ])('refuses an app name with %s', (_, name) => {
    expect(problemsOf({ ...smtp, ENTRA_SHARE_EMAIL_APP_NAME: name })).toEqual([
      expect.stringMatching(/^ENTRA_SHARE_EMAIL_APP_NAME must be one line of at most 100 characters/),
    ])
  })

  it.each(['#fff', '0f6cbd', '#0f6cbdff', '#0g6cbd', 'red;x'])('refuses the colour %s', (color) => {
    expect(problemsOf({ ...smtp, ENTRA_SHARE_EMAIL_BRAND_COLOR: color })).toEqual([
      `ENTRA_SHARE_EMAIL_BRAND_COLOR must be a colour written #rrggbb, for example #0f6cbd (got ${color}).`,
    ])
  })

  it('refuses an app URL that is not https', () => {
    expect(problemsOf({ ...smtp, ENTRA_SHARE_EMAIL_APP_URL: 'javascript:alert(1)' })).toEqual([
      'ENTRA_SHARE_EMAIL_APP_URL must be an https URL (got javascript:alert(1)).',
    ])
  })
})
