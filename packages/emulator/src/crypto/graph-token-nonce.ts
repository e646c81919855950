import { createHash } from 'node:crypto'

/**
 * Microsoft Graph access tokens carry a `nonce` in their JOSE header, and Entra signs them over a header in which
 * that nonce is replaced by base64url(SHA-256(nonce)). The token as issued holds the raw nonce, so its signature does
 * not verify as a plain JWT against the published keys: only Graph, which hashes the nonce back, can validate it
 * (AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet issue 609; justinlettau/azure-ad-verify-token
 * issue 5 shows the hashing).
 */

/** base64url(SHA-256(nonce)): the nonce as it stands in the header the signature covers. */
export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('base64url')
}

/**
 * Turns a token signed over a header holding `hashNonce(rawNonce)` into the token Entra issues: the same header with
 * the raw nonce (key order kept), the same payload and signature.
 */
export function withRawNonce(signedToken: string, rawNonce: string): string {
  return replaceHeaderNonce(signedToken, () => rawNonce) ?? signedToken
}

/**
 * Undoes `withRawNonce`: a token whose header carries a `nonce` comes back with that nonce hashed, as its signature
 * covers it; a token without one comes back unchanged.
 */
export function withHashedNonce(token: string): string {
  return replaceHeaderNonce(token, hashNonce) ?? token
}

function replaceHeaderNonce(token: string, replace: (nonce: string) => string): string | undefined {
  const dot = token.indexOf('.')
  if (dot < 0) return undefined
  let header: Record<string, unknown>
  try {
    header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof header !== 'object' || header === null || typeof header.nonce !== 'string') return undefined
  // Assigning an existing key keeps its place, so the JSON is byte for byte what was signed but for the nonce.
  header.nonce = replace(header.nonce)
  return `${Buffer.from(JSON.stringify(header), 'utf8').toString('base64url')}${token.slice(dot)}`
}
