import { type AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node'
import { configForEmulator } from '@entra-share/bff/testing'
import type { RunningEmulator } from '@entra-share/emulator'
import { Client } from '@microsoft/microsoft-graph-client'

const GRAPH_SCOPES = ['https://graph.microsoft.com/.default']

/**
 * A minimal client calling Graph directly, as a script without the BFF would: the seed's BFF app exchanges the
 * user's token On-Behalf-Of (msal-node, cached per assertion) and the Graph SDK sends the requests. The benchmarks
 * compare the BFF against it.
 */
export function directGraphClient(emulator: RunningEmulator, userToken: string): Client {
  return graphClient(emulator, (msal) =>
    msal.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes: GRAPH_SCOPES }),
  )
}

/** The same client acting as the BFF's app itself (client credentials), as the BFF runs follow-up steps. */
export function appGraphClient(emulator: RunningEmulator): Client {
  return graphClient(emulator, (msal) => msal.acquireTokenByClientCredential({ scopes: GRAPH_SCOPES }))
}

function graphClient(
  emulator: RunningEmulator,
  acquire: (msal: ConfidentialClientApplication) => Promise<AuthenticationResult | null>,
): Client {
  const config = configForEmulator(emulator)
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      clientSecret: (config.credential as { clientSecret: string }).clientSecret,
      authority: emulator.settings.authority,
      knownAuthorities: emulator.settings.knownAuthorities,
      authorityMetadata: emulator.settings.authorityMetadata,
    },
  })
  return Client.init({
    baseUrl: emulator.url,
    customHosts: new Set([new URL(emulator.url).hostname]),
    authProvider: (done) => {
      acquire(msal).then(
        (result) => done(null, result?.accessToken ?? null),
        (error: Error) => done(error, null),
      )
    },
  })
}
