import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Invitation } from '@entra-share/contracts'
import {
  AZURE_AD_TOKEN_EXCHANGE,
  type ClientCertificate,
  createClientCertificate,
  defaultSeed,
  type RunningEmulator,
  type Seed,
  WORKLOAD_IDENTITY_PATH,
} from '@entra-share/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCheck } from '../../src/check/run-check.js'
import type { ClientCredential } from '../../src/config.js'
import { loadConfig } from '../../src/load-config.js'
import { seeded, startTestEmulator } from '../support.js'
import { emulatorConfig, startHarness } from './harness.js'

const WORKLOAD_SUBJECT = 'system:serviceaccount:apps:entra-share-bff'

/** A free 127.0.0.1 port: the emulator's workload issuer URL, which the seed trusts, contains it. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The credential exactly as `loadConfig` reads it from the environment a deployment would set. */
function credentialFrom(env: Record<string, string>): ClientCredential {
  return loadConfig({
    ENTRA_SHARE_TENANT_ID: seeded.tenantId,
    ENTRA_SHARE_CLIENT_ID: seeded.bffClientId,
    ...env,
  }).credential
}

/**
 * The BFF with no secret at all: a certificate registered on its app registration, or a workload-identity token
 * file trusted by a federated identity credential. msal-node signs the client assertion (x5t#S256) or passes the
 * federated token; the emulator verifies it as Entra does, for On-Behalf-Of (the invitation) and client
 * credentials (the follow-up steps, `check`).
 */
describe('the BFF with a certificate or a federated credential instead of a secret', () => {
  let emulator: RunningEmulator
  let certificate: ClientCertificate
  let folder: string

  beforeAll(async () => {
    const port = await freePort()
    certificate = createClientCertificate({ commonName: 'entra-share BFF' })
    const seed: Seed = structuredClone(defaultSeed)
    const bff = seed.tenants
      .find((tenant) => tenant.id === seeded.tenantId)
      ?.applications.find((app) => app.clientId === seeded.bffClientId)
    if (!bff) throw new Error('the default seed has no BFF')
    bff.keyCredentials = [{ certificatePem: certificate.certificatePem, displayName: 'BFF certificate' }]
    bff.federatedIdentityCredentials = [
      {
        name: 'bff-workload',
        issuer: `https://127.0.0.1:${port}${WORKLOAD_IDENTITY_PATH}`,
        subject: WORKLOAD_SUBJECT,
        audiences: [AZURE_AD_TOKEN_EXCHANGE],
      },
    ]
    emulator = await startTestEmulator({ port, seed })
    folder = mkdtempSync(join(tmpdir(), 'bff-credentials-'))
  })
  afterAll(async () => {
    await emulator.close()
  })

  async function inviteAndCheck(credential: ClientCredential) {
    const harness = await startHarness({ emulator, config: { credential } })
    try {
      const response = await harness.invite(seeded.inviter.upn, {
        email: `partner-${Date.now()}@fabrikam.example`,
        presetId: 'apollo',
      })
      const report = await runCheck(emulatorConfig(emulator, { credential }))
      return { response, report }
    } finally {
      await harness.close()
    }
  }

  it('invites a guest end to end with a certificate (ENTRA_SHARE_CLIENT_CERTIFICATE_PATH), and check passes', async () => {
    const path = join(folder, 'bff.pem')
    writeFileSync(path, certificate.pem)
    const credential = credentialFrom({ ENTRA_SHARE_CLIENT_CERTIFICATE_PATH: path })
    expect(credential).toMatchObject({
      kind: 'certificate',
      thumbprintSha256: certificate.thumbprintSha256.toLowerCase(),
    })

    const { response, report } = await inviteAndCheck(credential)

    expect(response.statusCode).toBe(201)
    expect((response.json() as Invitation).status).toBe('completed')
    expect(report.lines.filter((line) => !line.ok)).toEqual([])
    expect(report.lines).toContainEqual({
      ok: true,
      text: 'The credential (ENTRA_SHARE_CLIENT_CERTIFICATE_PATH) gets an app-only token for Microsoft Graph.',
    })
  })

  it('invites a guest end to end with a workload-identity token file (AZURE_FEDERATED_TOKEN_FILE), and check passes', async () => {
    const path = join(folder, 'azure-identity-token')
    writeFileSync(path, await emulator.context.workloadIdentity.token({ subject: WORKLOAD_SUBJECT }))
    const credential = credentialFrom({ AZURE_FEDERATED_TOKEN_FILE: path })
    expect(credential).toEqual({ kind: 'assertion-file', path })

    const { response, report } = await inviteAndCheck(credential)

    expect(response.statusCode).toBe(201)
    expect((response.json() as Invitation).status).toBe('completed')
    expect(report.lines.filter((line) => !line.ok)).toEqual([])
  })

  it('names the variable and the federated credential when the token file holds another subject', async () => {
    const path = join(folder, 'other-subject-token')
    writeFileSync(
      path,
      await emulator.context.workloadIdentity.token({ subject: 'system:serviceaccount:apps:someone-else' }),
    )

    const report = await runCheck(
      emulatorConfig(emulator, { credential: credentialFrom({ ENTRA_SHARE_CLIENT_ASSERTION_FILE: path }) }),
    )

    expect(report.ok).toBe(false)
    expect(report.lines.find((line) => !line.ok)?.text).toMatch(
      /^The federated token was refused \(AADSTS7002\d+: .*\): the token in ENTRA_SHARE_CLIENT_ASSERTION_FILE must match a federated identity credential of app bff00000/,
    )
  })

  it('names ENTRA_SHARE_CLIENT_CERTIFICATE_PATH when the certificate is not registered on the app', async () => {
    const stranger = createClientCertificate({ commonName: 'not registered' })
    const path = join(folder, 'stranger.pem')
    writeFileSync(path, stranger.pem)

    const report = await runCheck(
      emulatorConfig(emulator, { credential: credentialFrom({ ENTRA_SHARE_CLIENT_CERTIFICATE_PATH: path }) }),
    )

    expect(report.lines.find((line) => !line.ok)?.text).toMatch(
      /^The client assertion was refused \(AADSTS700027\): check ENTRA_SHARE_CLIENT_CERTIFICATE_PATH/,
    )
  })
})
