import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node'
import { describe, expect, it } from 'vitest'
import { problemFromMsalError } from '../../src/identity/msal-errors.js'
import { TokenServiceUnavailableError } from '../../src/identity/token-service-client.js'
import { ProblemError } from '../../src/platform/problem-error.js'

const config = {
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: 'c0de0000-0000-4000-8000-000000000001',
  clientId: 'bff00000-0000-4000-8000-00000000b001',
}

/** What msal-common's ResponseHandler throws for an Entra error body with these fields. */
function entraError(error: string, errorNo: string, suberror = '', claims = '') {
  return new InteractionRequiredAuthError(
    error,
    'corr',
    `AADSTS${errorNo}: ...`,
    suberror,
    '',
    '',
    claims,
    errorNo,
  )
}

// The emulator answers `.default` requests as Entra does (consented permissions only), so these shapes of
// Entra's answers to explicitly named scopes are built here as msal-common builds them.
describe('problemFromMsalError', () => {
  it('maps AADSTS65001 (invalid_grant + consent_required) to consent_required with the admin-consent URL', () => {
    const problem = problemFromMsalError(
      entraError('invalid_grant', '65001', 'consent_required'),
      config,
      'on-behalf-of',
    )
    expect(problem.code).toBe('consent_required')
    expect(problem.extras.adminConsentUrl).toBe(
      `https://login.microsoftonline.com/${config.tenantId}/adminconsent?client_id=${config.clientId}`,
    )
  })

  it('maps interaction_required with claims (Conditional Access) to claims_challenge', () => {
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}'
    const problem = problemFromMsalError(
      entraError('interaction_required', '50076', '', claims),
      config,
      'on-behalf-of',
    )
    expect(problem.code).toBe('claims_challenge')
    expect(Buffer.from(problem.extras.claims ?? '', 'base64').toString()).toBe(claims)
  })

  it('maps interaction_required without claims (e.g. password expired) to unauthenticated', () => {
    const problem = problemFromMsalError(
      entraError('invalid_grant', '50055', 'user_password_expired'),
      config,
      'on-behalf-of',
    )
    expect(problem.code).toBe('unauthenticated')
  })

  it('maps a transient token-service error to upstream_unavailable, with Retry-After when known', () => {
    expect(
      problemFromMsalError(new TokenServiceUnavailableError(429, 12), config, 'on-behalf-of').extras,
    ).toMatchObject({
      retryAfterSeconds: 12,
      headers: { 'Retry-After': '12' },
    })
    expect(
      problemFromMsalError(new ServerError('temporarily_unavailable', 'c'), config, 'client-credentials')
        .code,
    ).toBe('upstream_unavailable')
    expect(problemFromMsalError(new AuthError('network_error', 'c'), config, 'client-credentials').code).toBe(
      'upstream_unavailable',
    )
  })

  it('maps configuration faults to internal_error and passes ProblemErrors through', () => {
    expect(problemFromMsalError(new ServerError('invalid_scope', 'c'), config, 'on-behalf-of').code).toBe(
      'internal_error',
    )
    expect(problemFromMsalError(new Error('boom'), config, 'on-behalf-of').code).toBe('internal_error')
    const original = new ProblemError('forbidden')
    expect(problemFromMsalError(original, config, 'on-behalf-of')).toBe(original)
  })
})
