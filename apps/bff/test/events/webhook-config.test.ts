import { describe, expect, it } from 'vitest'
import { webhookSecretProblem } from '../../src/events/webhook.js'
import { loadConfig } from '../../src/load-config.js'
import { minimalEnv as minimal, configProblems as problemsOf } from '../config-fixtures.js'
import { TEST_WEBHOOK_SECRET } from './webhook-receiver.js'

describe('the webhook settings', () => {
  it('are off by default; events are retried for 72 hours', () => {
    const config = loadConfig(minimal)
    expect(config.webhook).toBeUndefined()
    expect(config.eventRetryHours).toBe(72)
    expect(loadConfig({ ...minimal, ENTRA_SHARE_EVENT_RETRY_HOURS: '6' }).eventRetryHours).toBe(6)
    expect(problemsOf({ ...minimal, ENTRA_SHARE_EVENT_RETRY_HOURS: '0' })).toEqual([
      'ENTRA_SHARE_EVENT_RETRY_HOURS must be a whole number of at least 1 (got 0).',
    ])
  })

  it('take an https URL with its whsec_ secret, the URL exactly as given', () => {
    const url = 'https://lob.contoso.example/hooks/entra-share/'
    expect(
      loadConfig({
        ...minimal,
        ENTRA_SHARE_WEBHOOK_URL: url,
        ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      }).webhook,
    ).toEqual({ url, secret: TEST_WEBHOOK_SECRET })
  })

  it('refuse a URL that is not https with one line, without echoing it; http only on a loopback host', () => {
    const tokenUrl = 'http://hooks.contoso.example/in?token=do-not-log-me'
    const problems = problemsOf({
      ...minimal,
      ENTRA_SHARE_WEBHOOK_URL: tokenUrl,
      ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    })
    expect(problems).toEqual([
      "ENTRA_SHARE_WEBHOOK_URL must be an https URL (http is allowed only on 127.0.0.1 or localhost, for development); events carry guests' personal data.",
    ])
    expect(problems.join('\n')).not.toContain('do-not-log-me')
    expect(
      problemsOf({
        ...minimal,
        ENTRA_SHARE_WEBHOOK_URL: 'ftp://127.0.0.1/x',
        ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      }),
    ).toHaveLength(1)
    expect(
      problemsOf({
        ...minimal,
        ENTRA_SHARE_WEBHOOK_URL: 'not a url',
        ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      }),
    ).toEqual(['ENTRA_SHARE_WEBHOOK_URL must be an absolute https URL.'])
    for (const url of ['http://127.0.0.1:4000/hooks', 'http://localhost:4000/hooks']) {
      expect(
        loadConfig({
          ...minimal,
          ENTRA_SHARE_WEBHOOK_URL: url,
          ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        }).webhook?.url,
      ).toBe(url)
    }
  })

  it('need the secret with the URL, and the URL with the secret', () => {
    expect(problemsOf({ ...minimal, ENTRA_SHARE_WEBHOOK_URL: 'https://hooks.contoso.example/in' })).toEqual([
      'ENTRA_SHARE_WEBHOOK_SECRET is required with ENTRA_SHARE_WEBHOOK_URL: the key events are signed with (whsec_ and base64; generate one with: echo "whsec_$(openssl rand -base64 32)").',
    ])
    expect(problemsOf({ ...minimal, ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET })).toEqual([
      'ENTRA_SHARE_WEBHOOK_SECRET is set but ENTRA_SHARE_WEBHOOK_URL is not; set both, or neither.',
    ])
  })

  it('refuse a secret that is not whsec_ and the base64 of 24 to 64 bytes', () => {
    const url = 'https://hooks.contoso.example/in'
    const refused = (secret: string) =>
      problemsOf({ ...minimal, ENTRA_SHARE_WEBHOOK_URL: url, ENTRA_SHARE_WEBHOOK_SECRET: secret })
    expect(refused('hunter2')[0]).toMatch(/^ENTRA_SHARE_WEBHOOK_SECRET must start with whsec_/)
    expect(refused('whsec_not base64!')[0]).toMatch(/standard base64/)
    expect(refused(`whsec_${Buffer.alloc(16, 1).toString('base64')}`)[0]).toMatch(
      /24 to 64 bytes of key, not 16/,
    )
    expect(refused(`whsec_${Buffer.alloc(65, 1).toString('base64')}`)[0]).toMatch(/not 65/)
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)).toBeUndefined()
    expect(webhookSecretProblem(TEST_WEBHOOK_SECRET)).toBeUndefined()
  })
})
