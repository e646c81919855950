import { createServer } from 'node:net'
import { AZURE_AD_TOKEN_EXCHANGE, WORKLOAD_IDENTITY_PATH } from '../src/control/workload-identity-issuer.js'
import { type ClientCertificate, createClientCertificate, defaultSeed, type Seed } from '../src/index.js'
import { seeded, startTestEmulator } from './support.js'

/** The Kubernetes service account the seeded federated identity credential trusts. */
export const WORKLOAD_SUBJECT = 'system:serviceaccount:apps:entra-share-bff'

/** A free TCP port on 127.0.0.1 (the workload issuer's URL, and so the seed, contain the port). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== 'object' || !address) throw new Error('no port')
  return address.port
}

/**
 * Starts an emulator whose BFF (`seeded.bffClientId`) also has `certificate` registered and trusts the emulator's own
 * workload-identity issuer for `WORKLOAD_SUBJECT`.
 */
export async function startWithClientCredentials(certificate: ClientCertificate = testCertificate()) {
  const port = await freePort()
  const issuer = `https://127.0.0.1:${port}${WORKLOAD_IDENTITY_PATH}`
  const seed: Seed = structuredClone(defaultSeed)
  const contoso = seed.tenants.find((tenant) => tenant.id === seeded.contosoTenantId)
  const bff = contoso?.applications.find((app) => app.clientId === seeded.bffClientId)
  if (!bff) throw new Error('the default seed has no BFF')
  bff.keyCredentials = [{ certificatePem: certificate.certificatePem, displayName: 'BFF test certificate' }]
  bff.federatedIdentityCredentials = [
    { name: 'bff-workload', issuer, subject: WORKLOAD_SUBJECT, audiences: [AZURE_AD_TOKEN_EXCHANGE] },
  ]
  const emulator = await startTestEmulator({ port, seed })
  return { emulator, certificate, issuer, seed }
}

let shared: ClientCertificate | undefined
/** One registered test certificate per test file (RSA key generation takes a moment). */
export function testCertificate(): ClientCertificate {
  shared ??= createClientCertificate({ commonName: 'entra-share BFF test' })
  return shared
}
