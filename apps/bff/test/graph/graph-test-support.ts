import { ConfidentialClientApplication } from '@azure/msal-node'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { GraphError } from '@microsoft/microsoft-graph-client'
import { expect } from 'vitest'
import { isProblemError, type ProblemError } from '../../src/platform/problem-error.js'
import { seeded } from '../support.js'

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default'

/**
 * Real Graph tokens from the emulator's token endpoint, obtained the way the BFF obtains them: the user signs in to
 * the SPA (authorization code + PKCE), then msal-node exchanges that token On-Behalf-Of for Graph; app tokens come
 * from client credentials.
 */
export function graphTokensFor(emulator: RunningEmulator) {
  const { authority, knownAuthorities, authorityMetadata } = emulator.settings
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: seeded.bffClientId,
      clientSecret: seeded.bffClientSecret,
      authority,
      knownAuthorities,
      authorityMetadata,
    },
  })
  return {
    /** A delegated Graph token for a seeded user (UPN), On-Behalf-Of their SPA token; `.default` unless `scopes`. */
    async forUser(upn: string, scopes: string[] = [GRAPH_DEFAULT]): Promise<string> {
      const { access_token } = await signInToSpa(emulator, upn)
      const result = await msal.acquireTokenOnBehalfOf({ oboAssertion: access_token, scopes })
      if (!result?.accessToken) throw new Error(`no On-Behalf-Of token for ${upn}`)
      return result.accessToken
    },
    /** The BFF's app-only Graph token. */
    async app(): Promise<string> {
      const result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
      if (!result?.accessToken) throw new Error('no client-credentials token')
      return result.accessToken
    },
  }
}

/** Awaits a call that must fail with a `ProblemError` and returns it. */
export async function problemOf(call: Promise<unknown>): Promise<ProblemError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(isProblemError(error), `expected a ProblemError, got ${String(error)}`).toBe(true)
  return error as ProblemError
}

/** The SDK's `GraphError` a `ProblemError` was mapped from. */
export function graphCause(problem: ProblemError): GraphError {
  expect(problem.extras.cause).toBeInstanceOf(GraphError)
  return problem.extras.cause as GraphError
}
