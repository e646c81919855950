import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { exportJWK, type JWK } from 'jose'
import { certificateDerBase64, certificateThumbprint, createSelfSignedCertificate } from './certificates.js'
import { writeOnce } from './files.js'

/** The RSA key the emulator signs every token with, published in each tenant's JWKS. */
export interface SigningKey {
  /** Key id: like Entra, equal to the certificate's `x5t`. */
  kid: string
  x5t: string
  privateKey: KeyObject
  publicKey: KeyObject
  /** Public JWK with `kty`, `use`, `kid`, `x5t`, `n`, `e`, `x5c`. */
  publicJwk: JWK & { kid: string; x5t: string; x5c: string[] }
}

/** Loads the signing key from `dataDir` (tokens survive restarts), or creates it there. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  mkdirSync(dataDir, { recursive: true })
  const bundle = writeOnce(join(dataDir, 'signing-key.pem'), () => {
    const { keyPem, certPem } = createSelfSignedCertificate('entra-share emulator token signing')
    return keyPem + certPem
  })
  return signingKeyFromPem(bundle)
}

/**
 * Loads or creates the key of the emulator's test workload-identity issuer (`/_emulator/workload-identity`), kept in
 * `dataDir` next to the token signing key so tokens it minted stay valid across restarts.
 */
export async function loadOrCreateWorkloadIdentityKey(dataDir: string): Promise<SigningKey> {
  mkdirSync(dataDir, { recursive: true })
  const bundle = writeOnce(join(dataDir, 'workload-identity-key.pem'), () => {
    const { keyPem, certPem } = createSelfSignedCertificate('entra-share emulator workload identity issuer')
    return keyPem + certPem
  })
  return signingKeyFromPem(bundle)
}

/** Creates a signing key that lives only in memory (for tests that want a key nobody else trusts). */
export async function createEphemeralSigningKey(): Promise<SigningKey> {
  const { keyPem, certPem } = createSelfSignedCertificate('entra-share emulator ephemeral signing')
  return signingKeyFromPem(keyPem + certPem)
}

async function signingKeyFromPem(bundle: string): Promise<SigningKey> {
  const certPem = bundle.slice(bundle.indexOf('-----BEGIN CERTIFICATE-----'))
  const privateKey = createPrivateKey(bundle)
  const x5t = certificateThumbprint(certPem)
  const publicKey = createPublicKey(privateKey)
  const jwk = await exportJWK(publicKey)
  return {
    kid: x5t,
    x5t,
    privateKey,
    publicKey,
    publicJwk: {
      kty: 'RSA',
      use: 'sig',
      kid: x5t,
      x5t,
      n: jwk.n,
      e: jwk.e,
      x5c: [certificateDerBase64(certPem)],
    },
  }
}
