/**
 * `WWW-Authenticate` challenges (RFC 6750 §3) the BFF sends with 401 and 403 answers, so a client library such as
 * MSAL can tell "sign in again", "ask for another scope" and "satisfy these claims" apart.
 */

/**
 * RFC 6750 limits `error_description` to printable ASCII without `"` and `\`; anything else is replaced, so a
 * message can never break out of its quoted string.
 */
function quotedValue(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "'")
}

/**
 * The challenge for a request without usable credentials: no `error`, as RFC 6750 §3.1 asks when the request
 * carried no token at all.
 *
 * @example
 * missingTokenChallenge('api://bff') // 'Bearer realm="api://bff"'
 */
export function missingTokenChallenge(realm: string): string {
  return `Bearer realm="${quotedValue(realm)}"`
}

/**
 * The challenge for a token that is expired, malformed, forged or meant for someone else.
 *
 * @example
 * invalidTokenChallenge('The access token has expired.')
 * // 'Bearer error="invalid_token", error_description="The access token has expired."'
 */
export function invalidTokenChallenge(description: string): string {
  return `Bearer error="invalid_token", error_description="${quotedValue(description)}"`
}

/**
 * The challenge for a valid token that lacks the scope (or role) this API requires.
 *
 * @example
 * insufficientScopeChallenge('api://bff/Invitations.Send')
 * // 'Bearer error="insufficient_scope", scope="api://bff/Invitations.Send"'
 */
export function insufficientScopeChallenge(scope: string | null, description?: string): string {
  const parts = ['Bearer error="insufficient_scope"']
  if (scope) parts.push(`scope="${quotedValue(scope)}"`)
  if (description) parts.push(`error_description="${quotedValue(description)}"`)
  return parts.join(', ')
}

/**
 * The Conditional Access challenge Microsoft's own APIs send: the client re-acquires a token with `claims`
 * (base64 of the claims JSON) and retries.
 *
 * @example
 * claimsChallenge('https://login.microsoftonline.com/{tid}/oauth2/v2.0/authorize', 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ==')
 */
export function claimsChallenge(authorizationUri: string, claimsBase64: string): string {
  return `Bearer realm="", authorization_uri="${quotedValue(authorizationUri)}", error="insufficient_claims", claims="${quotedValue(claimsBase64)}"`
}
