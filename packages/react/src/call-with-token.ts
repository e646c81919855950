import { isShareError, ShareError } from '@entra-share/client'
import type { AcquireToken } from './access-token.js'

/**
 * Calls the BFF with a token from the token seam. A claims challenge (Conditional Access wants MFA) gets one new
 * token with its claims, asked for interactively, and one retry: no loop. Resolves `null` when no token came (the
 * user cancelled, or the page is leaving to sign in); every failure is thrown as a `ShareError`. @internal
 *
 * @example
 * const invitation = await callWithToken(acquireToken, (accessToken) => client.getInvitation(id, { accessToken }))
 */
export async function callWithToken<T>(
  acquireToken: AcquireToken,
  call: (accessToken: string) => Promise<T>,
  options: { interactive?: boolean } = {},
): Promise<T | null> {
  const token = await acquireToken(options)
  if (token === null) return null
  try {
    return await call(token)
  } catch (error) {
    if (!(isShareError(error) && error.code === 'claims_challenge' && error.claims)) throw error
    const retryToken = await acquireToken({ claims: error.claims })
    return retryToken === null ? null : call(retryToken)
  }
}

/** Any failure as a `ShareError`: ours as it is, anything else `invalid_response` with it as the `cause`. @internal */
export function asShareError(error: unknown, message: string): ShareError {
  return isShareError(error) ? error : new ShareError('invalid_response', message, { cause: error })
}
