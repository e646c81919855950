import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createClientCertificate } from '../src/index.js'
import { defaultSeed, parseSeed, type Seed } from '../src/state/seed.js'

const certificate = createClientCertificate({ commonName: 'seed test' })
const FEDERATED = {
  name: 'bff-workload',
  issuer: 'https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/',
  subject: 'system:serviceaccount:apps:bff',
  audiences: ['api://AzureADTokenExchange'],
}

/** The default seed with one more confidential app carrying `credentials`. */
function seedWith(credentials: Record<string, unknown>): unknown {
  const seed: Seed = structuredClone(defaultSeed)
  const tenant = seed.tenants[0] as Seed['tenants'][number]
  tenant.applications.push({
    clientId: '0a000000-0000-4000-8000-00000000d001',
    displayName: 'Daemon',
    kind: 'confidential',
    ...credentials,
  } as Seed['tenants'][number]['applications'][number])
  return seed
}

describe('seeded app credentials: keyCredentials and federatedIdentityCredentials', () => {
  it('accepts a confidential app with only a certificate, or only a federated identity credential', () => {
    expect(() =>
      parseSeed(seedWith({ keyCredentials: [{ certificatePem: certificate.certificatePem }] })),
    ).not.toThrow()
    expect(() => parseSeed(seedWith({ federatedIdentityCredentials: [FEDERATED] }))).not.toThrow()
  })

  it('accepts a customKeyIdentifier that is the SHA-1 thumbprint in hex or base64, and refuses another', () => {
    const base64 = Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64')
    for (const customKeyIdentifier of [
      certificate.thumbprintSha1,
      certificate.thumbprintSha1.toLowerCase(),
      base64,
    ]) {
      expect(() =>
        parseSeed(
          seedWith({ keyCredentials: [{ certificatePem: certificate.certificatePem, customKeyIdentifier }] }),
        ),
      ).not.toThrow()
    }
    expect(() =>
      parseSeed(
        seedWith({
          keyCredentials: [{ certificatePem: certificate.certificatePem, customKeyIdentifier: 'ABCDEF' }],
        }),
      ),
    ).toThrow(
      `application Daemon: keyCredentials[0]: customKeyIdentifier ABCDEF is not the certificate's SHA-1 thumbprint (${certificate.thumbprintSha1})`,
    )
  })

  it('refuses a certificatePem that is not a certificate', () => {
    expect(() =>
      parseSeed(seedWith({ keyCredentials: [{ certificatePem: certificate.privateKeyPem }] })),
    ).toThrow('application Daemon: keyCredentials[0]: certificatePem is not a PEM X.509 certificate')
  })

  it("enforces Entra's federated identity credential rules", () => {
    expect(() =>
      parseSeed(seedWith({ federatedIdentityCredentials: [{ ...FEDERATED, name: '-bad' }] }), 'seed.json'),
    ).toThrow(/^seed\.json: \/tenants\/0\/applications\/\d+\/federatedIdentityCredentials\/0\/name: /)
    expect(() =>
      parseSeed(seedWith({ federatedIdentityCredentials: [{ ...FEDERATED, audiences: ['a', 'b'] }] })),
    ).toThrow(/audiences/)
    expect(() =>
      parseSeed(seedWith({ federatedIdentityCredentials: [FEDERATED, { ...FEDERATED, name: 'second' }] })),
    ).toThrow(
      'federatedIdentityCredentials[1]: issuer and subject combination already exists for this application',
    )
    expect(() =>
      parseSeed(seedWith({ federatedIdentityCredentials: [FEDERATED, { ...FEDERATED, subject: 'other' }] })),
    ).toThrow('federatedIdentityCredentials[1]: the name bff-workload is used twice')
    const many = Array.from({ length: 21 }, (_, index) => ({
      ...FEDERATED,
      name: `fic-${index}`,
      subject: `s${index}`,
    }))
    expect(() => parseSeed(seedWith({ federatedIdentityCredentials: many }))).toThrow(
      /federatedIdentityCredentials/,
    )
  })
})

describe('createClientCertificate', () => {
  it('returns a certificate, its key, a bundle and both thumbprints as msal-node takes them', () => {
    const x509 = new X509Certificate(certificate.certificatePem)
    expect(x509.subject).toBe('CN=seed test')
    expect(certificate.thumbprintSha1).toBe(x509.fingerprint.replaceAll(':', ''))
    expect(certificate.thumbprintSha256).toBe(x509.fingerprint256.replaceAll(':', ''))
    expect(certificate.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(certificate.pem).toBe(certificate.privateKeyPem + certificate.certificatePem)
    expect(x509.checkPrivateKey(createPrivateKey(certificate.privateKeyPem))).toBe(true)
    const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(363)
    expect(days).toBeLessThan(366)
  })
})
