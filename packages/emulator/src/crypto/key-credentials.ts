import { createHash, type KeyObject, X509Certificate } from 'node:crypto'
import type { KeyCredentialSeed } from '../state/seed-schema.js'

/** A certificate registered on an application (`keyCredentials` in the seed), read once and kept. */
export interface RegisteredCertificate {
  /** SHA-1 of the DER encoding, upper-case hex: the thumbprint the Entra admin center shows. */
  thumbprintSha1: string
  /** SHA-256 of the DER encoding, upper-case hex. */
  thumbprintSha256: string
  /** The SHA-1 thumbprint in base64url: a JWT header's `x5t`. */
  x5t: string
  /** The SHA-256 thumbprint in base64url: a JWT header's `x5t#S256`. */
  x5tS256: string
  publicKey: KeyObject
  notBefore: Date
  notAfter: Date
}

const registered = new WeakMap<KeyCredentialSeed, RegisteredCertificate>()

/**
 * Reads a PEM X.509 certificate: its thumbprints (hex and base64url), public key and validity.
 *
 * @example
 * const { x5t, thumbprintSha1 } = readCertificate(readFileSync('client.pem', 'utf8'))
 */
export function readCertificate(certificatePem: string): RegisteredCertificate {
  const certificate = new X509Certificate(certificatePem)
  const sha1 = createHash('sha1').update(certificate.raw).digest()
  const sha256 = createHash('sha256').update(certificate.raw).digest()
  return {
    thumbprintSha1: sha1.toString('hex').toUpperCase(),
    thumbprintSha256: sha256.toString('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    x5tS256: sha256.toString('base64url'),
    publicKey: certificate.publicKey,
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  }
}

/** The certificate of a seeded key credential (parsed on first use, then cached with the seed object). */
export function registeredCertificate(credential: KeyCredentialSeed): RegisteredCertificate {
  let certificate = registered.get(credential)
  if (!certificate) {
    certificate = readCertificate(credential.certificatePem)
    registered.set(credential, certificate)
  }
  return certificate
}

/**
 * What is wrong with a seeded key credential, or `undefined`: the PEM must be an X.509 certificate, and a
 * `customKeyIdentifier`, when given, must be its SHA-1 thumbprint (hex, or base64 as Microsoft Graph returns it).
 */
export function keyCredentialProblem(credential: KeyCredentialSeed): string | undefined {
  let certificate: RegisteredCertificate
  try {
    certificate = registeredCertificate(credential)
  } catch (error) {
    return `certificatePem is not a PEM X.509 certificate (${(error as Error).message})`
  }
  const identifier = credential.customKeyIdentifier
  if (identifier === undefined) return undefined
  const base64 = Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64')
  if (identifier.toUpperCase() === certificate.thumbprintSha1 || identifier === base64) return undefined
  return `customKeyIdentifier ${identifier} is not the certificate's SHA-1 thumbprint (${certificate.thumbprintSha1})`
}
