import { OAuthError } from './oauth-errors.js'

/**
 * The token endpoint's answers to a device polling with `grant_type=urn:ietf:params:oauth:grant-type:device_code`
 * before it gets tokens, with Entra's `error` values (RFC 8628 §3.5 as Microsoft spells them) and AADSTS numbers.
 * Entra publishes no AADSTS number for a declined device code; the emulator uses 65004, Entra's "user declined
 * consent".
 */
export const deviceCodeErrors = {
  authorizationPending: () =>
    new OAuthError(
      400,
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    ),
  authorizationDeclined: () =>
    new OAuthError(
      400,
      'authorization_declined',
      65004,
      'The end user denied the authorization request. Stop polling and revert to an unauthenticated state.',
    ),
  badVerificationCode: () =>
    new OAuthError(
      400,
      'bad_verification_code',
      70018,
      'The device_code sent to the /token endpoint was not recognized. Verify that the client is sending the correct device_code in the request.',
    ),
  expiredToken: () =>
    new OAuthError(
      400,
      'expired_token',
      70019,
      'Verification code expired. Have the user retry the sign-in.',
    ),
  alreadyRedeemed: () =>
    new OAuthError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 device code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
} as const
