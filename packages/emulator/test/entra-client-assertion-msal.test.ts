import { mkdtempSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AuthError, ConfidentialClientApplication, type Configuration } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ClientCertificate, createClientCertificate, type RunningEmulator } from '../src/index.js'
import { signInToSpa } from '../src/testing/sign-in.js'
import { startWithClientCredentials, WORKLOAD_SUBJECT } from './client-assertion-support.js'
import { seeded } from './support.js'

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default'

describe('msal-node authenticates with client assertions (private_key_jwt)', () => {
  let emulator: RunningEmulator
  let certificate: ClientCertificate
  let tokenDir: string
  beforeAll(async () => {
    ;({ emulator, certificate } = await startWithClientCredentials())
    tokenDir = mkdtempSync(join(tmpdir(), 'workload-token-'))
  })
  beforeEach(() => emulator.context.directory.reset())
  afterAll(() => emulator.close())

  function bff(credential: Partial<Configuration['auth']>) {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    return new ConfidentialClientApplication({
      auth: { clientId: seeded.bffClientId, authority, knownAuthorities, authorityMetadata, ...credential },
    })
  }

  /** The BFF's msal-credential.ts for ENTRA_SHARE_CLIENT_ASSERTION_FILE: the file is read whenever MSAL asks. */
  async function assertionFile(body: Record<string, unknown>): Promise<Partial<Configuration['auth']>> {
    const response = await fetch(`${emulator.settings.workloadIdentityIssuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(200)
    const { token } = (await response.json()) as { token: string }
    const path = join(tokenDir, `token-${Math.random().toString(36).slice(2)}`)
    writeFileSync(path, `${token}\n`)
    return { clientAssertion: async () => (await readFile(path, 'utf8')).trim() }
  }

  async function rejection(promise: Promise<unknown>): Promise<AuthError> {
    try {
      await promise
    } catch (error) {
      return error as AuthError
    }
    throw new Error('expected msal to throw')
  }

  describe('with a registered certificate', () => {
    const sha256 = () => ({
      clientCertificate: {
        thumbprintSha256: certificate.thumbprintSha256,
        privateKey: certificate.privateKeyPem,
      },
    })
    const sha1 = () => ({
      clientCertificate: { thumbprint: certificate.thumbprintSha1, privateKey: certificate.privateKeyPem },
    })

    it('gets an app-only Graph token by its SHA-256 thumbprint (x5t#S256, PS256); appidacr is 2', async () => {
      const result = await bff(sha256()).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
        aud: 'https://graph.microsoft.com',
        appid: seeded.bffClientId,
        appidacr: '2',
        idtyp: 'app',
      })
    })

    it('exchanges a user token On-Behalf-Of with the certificate', async () => {
      const assertion = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      const result = await bff(sha256()).acquireTokenOnBehalfOf({
        oboAssertion: assertion,
        scopes: [GRAPH_DEFAULT],
      })
      expect(result?.account?.username).toBe(seeded.inviter.upn)
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
        appid: seeded.bffClientId,
        appidacr: '2',
        upn: seeded.inviter.upn,
      })
    })

    it('accepts the legacy SHA-1 thumbprint (x5t, RS256) for client credentials and On-Behalf-Of', async () => {
      const app = bff(sha1())
      const appOnly = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
      expect(decodeJwt(appOnly?.accessToken ?? '').appidacr).toBe('2')
      const assertion = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      const obo = await app.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_DEFAULT] })
      expect(decodeJwt(obo?.accessToken ?? '')).toMatchObject({ appidacr: '2', upn: seeded.inviter.upn })
    })

    it('sends x5c when asked and still authenticates by the registered thumbprint', async () => {
      const result = await bff({
        clientCertificate: { ...sha256().clientCertificate, x5c: certificate.certificatePem },
      }).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
      expect(decodeJwt(result?.accessToken ?? '').appidacr).toBe('2')
    })

    it('refuses a certificate that is not registered on the app (AADSTS700027)', async () => {
      const stranger = createClientCertificate({ commonName: 'not registered' })
      const error = await rejection(
        bff({
          clientCertificate: {
            thumbprintSha256: stranger.thumbprintSha256,
            privateKey: stranger.privateKeyPem,
          },
        }).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] }),
      )
      expect(error.errorCode).toBe('invalid_client')
      expect(error.errorMessage).toContain(
        `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${stranger.thumbprintSha256}'`,
      )
    })

    it('refuses a registered thumbprint signed with another key (AADSTS700027)', async () => {
      const stranger = createClientCertificate({ commonName: 'someone else' })
      const error = await rejection(
        bff({
          clientCertificate: {
            thumbprintSha256: certificate.thumbprintSha256,
            privateKey: stranger.privateKeyPem,
          },
        }).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] }),
      )
      expect(error.errorCode).toBe('invalid_client')
      expect(error.errorMessage).toContain(
        'AADSTS700027: Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed.',
      )
    })
  })

  describe('with a workload identity token file (federated credential)', () => {
    it('gets an app-only Graph token with the token from the file; appidacr is 2', async () => {
      const result = await bff(
        await assertionFile({ subject: WORKLOAD_SUBJECT }),
      ).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
        aud: 'https://graph.microsoft.com',
        appid: seeded.bffClientId,
        appidacr: '2',
      })
    })

    it('exchanges a user token On-Behalf-Of with the federated credential', async () => {
      const assertion = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      const result = await bff(await assertionFile({ subject: WORKLOAD_SUBJECT })).acquireTokenOnBehalfOf({
        oboAssertion: assertion,
        scopes: [GRAPH_DEFAULT],
      })
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ appidacr: '2', upn: seeded.inviter.upn })
    })

    it('refuses a token for another subject (AADSTS700213)', async () => {
      const subject = 'system:serviceaccount:apps:someone-else'
      const error = await rejection(
        bff(await assertionFile({ subject })).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] }),
      )
      expect(error.errorCode).toBe('invalid_client')
      expect(error.errorMessage).toContain(
        `AADSTS700213: No matching federated identity record found for presented assertion subject '${subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      )
    })

    it('refuses a token for another audience (AADSTS700212)', async () => {
      const error = await rejection(
        bff(
          await assertionFile({ subject: WORKLOAD_SUBJECT, audience: 'api://SomethingElse' }),
        ).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] }),
      )
      expect(error.errorCode).toBe('invalid_client')
      expect(error.errorMessage).toContain(
        "AADSTS700212: No matching federated identity record found for presented assertion audience 'api://SomethingElse'.",
      )
    })

    it('refuses an expired token (AADSTS700024)', async () => {
      const error = await rejection(
        bff(
          await assertionFile({ subject: WORKLOAD_SUBJECT, lifetimeSeconds: -600 }),
        ).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] }),
      )
      expect(error.errorCode).toBe('invalid_client')
      expect(error.errorMessage).toMatch(
        /AADSTS700024: Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z, assertion valid from \d{4}-.+Z, expiry time of assertion \d{4}-.+Z\. Review the documentation at https:\/\/learn\.microsoft\.com\/entra\/identity-platform\/certificate-credentials \./,
      )
    })
  })
})
