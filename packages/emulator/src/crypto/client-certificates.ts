import { createSelfSignedCertificate } from './certificates.js'
import { readCertificate } from './key-credentials.js'

/** A client certificate and its private key, ready for a seed's `keyCredentials` and msal-node's `clientCertificate`. */
export interface ClientCertificate {
  /** The PEM X.509 certificate: put it in `keyCredentials: [{ certificatePem }]`. */
  certificatePem: string
  /** The PEM (PKCS #8) RSA private key: msal-node's `clientCertificate.privateKey`. */
  privateKeyPem: string
  /** Private key then certificate in one PEM, as `ENTRA_SHARE_CLIENT_CERTIFICATE_PATH` reads it. */
  pem: string
  /** SHA-1 thumbprint, upper-case hex: msal-node's legacy `clientCertificate.thumbprint` (sent as `x5t`). */
  thumbprintSha1: string
  /** SHA-256 thumbprint, upper-case hex: msal-node's `clientCertificate.thumbprintSha256` (sent as `x5t#S256`). */
  thumbprintSha256: string
}

export interface ClientCertificateOptions {
  /** The certificate's subject CN. */
  commonName: string
  /** Days of validity from a day ago. @default 365 */
  validDays?: number
}

/**
 * Creates a self-signed RSA 2048 client certificate for tests: register `certificatePem` on an app of the seed and
 * authenticate as that app with the private key (private_key_jwt).
 *
 * @example
 * const cert = createClientCertificate({ commonName: 'entra-share BFF' })
 * const seed = { ...bffApp, keyCredentials: [{ certificatePem: cert.certificatePem }] }
 * new ConfidentialClientApplication({ auth: { clientId, authority,
 *   clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem } } })
 */
export function createClientCertificate(options: ClientCertificateOptions): ClientCertificate {
  const { keyPem, certPem } = createSelfSignedCertificate(options.commonName, options.validDays ?? 365)
  const { thumbprintSha1, thumbprintSha256 } = readCertificate(certPem)
  return {
    certificatePem: certPem,
    privateKeyPem: keyPem,
    pem: keyPem + certPem,
    thumbprintSha1,
    thumbprintSha256,
  }
}
