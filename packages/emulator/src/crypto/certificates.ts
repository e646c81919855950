import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import forge from 'node-forge'
import { replaceFile, writeOnce } from './files.js'

/** PEM material for the emulator's https listener and the local CA that signed it. */
export interface TlsMaterial {
  /** Path of the CA certificate: give it to `NODE_EXTRA_CA_CERTS` or a browser to trust the emulator. */
  caPath: string
  caCertPem: string
  key: string
  cert: string
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Returns the local CA and a server certificate for `127.0.0.1` and `localhost`, creating them on first use
 * and keeping them in `dataDir`, so a CA trusted once stays trusted across restarts.
 */
export function loadOrCreateTls(dataDir: string): TlsMaterial {
  mkdirSync(dataDir, { recursive: true })
  // Key and certificate live in one file so that concurrent first runs can never pair one's key with another's cert.
  const caBundle = writeOnce(join(dataDir, 'ca-key.pem'), () => {
    const ca = createCertificate({ commonName: 'entra-share emulator local CA', isCa: true, validDays: 3650 })
    return ca.keyPem + ca.certPem
  })
  const caCertPem = extractPem(caBundle, 'CERTIFICATE')
  const caPath = join(dataDir, 'ca.pem')
  if (!existsSync(caPath) || readFileSync(caPath, 'utf8') !== caCertPem) replaceFile(caPath, caCertPem)

  const serverPath = join(dataDir, 'server-key.pem')
  if (!isUsableServerCertificate(serverPath, caCertPem)) {
    const server = createCertificate({
      commonName: '127.0.0.1',
      isCa: false,
      validDays: 365,
      issuer: { certPem: caCertPem, keyPem: extractPem(caBundle, 'PRIVATE KEY') },
    })
    replaceFile(serverPath, server.keyPem + server.certPem)
  }
  const serverBundle = readFileSync(serverPath, 'utf8')
  return {
    caPath,
    caCertPem,
    key: extractPem(serverBundle, 'PRIVATE KEY'),
    cert: extractPem(serverBundle, 'CERTIFICATE'),
  }
}

/**
 * A self-signed certificate for a signing key, so the JWKS can carry `x5c` and `x5t` as Entra's does (also the
 * client certificates of `createClientCertificate`). Valid from a day ago for `validDays`.
 */
export function createSelfSignedCertificate(
  commonName: string,
  validDays = 3650,
): { keyPem: string; certPem: string } {
  return createCertificate({ commonName, isCa: false, validDays })
}

/** Base64url SHA-1 thumbprint of a PEM certificate: the `x5t` of a JWK and a JWT header. */
export function certificateThumbprint(certPem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes()
  return createHash('sha1').update(Buffer.from(der, 'binary')).digest('base64url')
}

/** The base64 DER of a PEM certificate: an `x5c` entry. */
export function certificateDerBase64(certPem: string): string {
  return certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
}

interface CertificateRequest {
  commonName: string
  isCa: boolean
  validDays: number
  issuer?: { certPem: string; keyPem: string }
}

function createCertificate(request: CertificateRequest): { keyPem: string; certPem: string } {
  // Node generates the RSA key natively; node-forge only assembles and signs the X.509 structure.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey)
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`
  cert.validity.notBefore = new Date(Date.now() - DAY_MS)
  cert.validity.notAfter = new Date(Date.now() + request.validDays * DAY_MS)
  const subject = [{ name: 'commonName', value: request.commonName }]
  cert.setSubject(subject)
  const issuerCert = request.issuer ? forge.pki.certificateFromPem(request.issuer.certPem) : undefined
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject)
  const extensions: object[] = request.isCa
    ? [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ]
    : [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      ]
  if (request.issuer) {
    extensions.push(
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    )
  }
  cert.setExtensions(extensions)
  const signingKey = forge.pki.privateKeyFromPem(request.issuer?.keyPem ?? privateKey)
  cert.sign(signingKey, forge.md.sha256.create())
  return { keyPem: privateKey, certPem: forge.pki.certificateToPem(cert) }
}

function isUsableServerCertificate(bundlePath: string, caCertPem: string): boolean {
  if (!existsSync(bundlePath)) return false
  try {
    const cert = forge.pki.certificateFromPem(extractPem(readFileSync(bundlePath, 'utf8'), 'CERTIFICATE'))
    const ca = forge.pki.certificateFromPem(caCertPem)
    const renewBefore = Date.now() + 30 * DAY_MS
    return ca.verify(cert) && cert.validity.notAfter.getTime() > renewBefore
  } catch {
    return false
  }
}

function extractPem(bundle: string, label: string): string {
  const match = bundle.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\r?\\n?`))
  if (!match)
    throw new Error(`The emulator's key file has no ${label} block; delete its data folder to recreate it.`)
  return match[0].endsWith('\n') ? match[0] : `${match[0]}\n`
}
