import { X509Certificate } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrCreateTls } from '../src/crypto/certificates.js'
import { loadOrCreateSigningKey } from '../src/crypto/signing-keys.js'

describe('local CA and keys', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'emulator-certs-'))

  it('creates a CA once and signs a server certificate for 127.0.0.1 and localhost', () => {
    const first = loadOrCreateTls(dataDir)
    const second = loadOrCreateTls(dataDir)
    expect(second.caCertPem).toBe(first.caCertPem)
    expect(second.cert).toBe(first.cert)

    const ca = new X509Certificate(first.caCertPem)
    const server = new X509Certificate(first.cert)
    expect(ca.ca).toBe(true)
    expect(server.ca).toBe(false)
    expect(server.verify(ca.publicKey)).toBe(true)
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(server.checkHost('localhost')).toBe('localhost')
  })

  it('keeps the signing key, so tokens stay valid across restarts; kid equals the certificate thumbprint', async () => {
    const first = await loadOrCreateSigningKey(dataDir)
    const second = await loadOrCreateSigningKey(dataDir)
    expect(second.kid).toBe(first.kid)
    const cert = new X509Certificate(Buffer.from(first.publicJwk.x5c[0] as string, 'base64'))
    const thumbprint = Buffer.from(cert.fingerprint.replaceAll(':', ''), 'hex').toString('base64url')
    expect(first.publicJwk).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: thumbprint,
      x5t: thumbprint,
      e: 'AQAB',
    })
  })
})
