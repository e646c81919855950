import {
  type AccountInfo,
  AuthError,
  type DeviceCodeRequest,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from '@azure/msal-node'
import { SignInError } from './errors.js'
import type { AuthSettings } from './settings.js'

/** Where the CLI's bearer tokens come from. `token()` is called before every BFF request. */
export interface TokenSource {
  /** A token for the BFF; signs in on first use, then serves the cache and refreshes it silently. */
  token(): Promise<string>
  /** Stops a device code sign-in that is still waiting for the person. */
  cancel(): void
}

/**
 * The token source for the settings: `ENTRA_SHARE_TOKEN` as is, or the device code flow with msal-node.
 * `show` receives Entra's message ("To sign in, use a web browser to open the page … and enter the code …").
 *
 * @example
 * const tokens = createTokenSource(settings.auth, (message) => console.log(message))
 * const bearer = await tokens.token()
 */
export function createTokenSource(auth: AuthSettings, show: (message: string) => void): TokenSource {
  if (auth.kind === 'token') return { token: async () => auth.token, cancel: () => {} }
  return new DeviceCodeTokenSource(auth, show)
}

type DeviceCodeSettings = Extract<AuthSettings, { kind: 'device-code' }>

/**
 * Signs in once with the device code flow and keeps the account in msal-node's in-memory cache for the run; later
 * calls use `acquireTokenSilent`, which answers from the cache and redeems the refresh token shortly before the
 * access token expires, so a job polled for hours keeps a valid token without asking the person again.
 */
class DeviceCodeTokenSource implements TokenSource {
  private readonly app: PublicClientApplication
  private account: AccountInfo | null = null
  private signingIn: Promise<AccountInfo> | null = null
  private pending: DeviceCodeRequest | null = null

  constructor(
    private readonly settings: DeviceCodeSettings,
    private readonly show: (message: string) => void,
  ) {
    this.app = new PublicClientApplication({
      auth: {
        clientId: settings.clientId,
        authority: settings.authority,
        knownAuthorities: settings.knownAuthorities,
        ...(settings.authorityMetadata ? { authorityMetadata: settings.authorityMetadata } : {}),
      },
    })
  }

  async token(): Promise<string> {
    // Concurrent first calls share one sign-in: the person sees one code.
    if (!this.account) {
      this.signingIn ??= this.signIn()
      await this.signingIn
    }
    return this.silent()
  }

  cancel(): void {
    if (this.pending) this.pending.cancel = true
  }

  private async signIn(): Promise<AccountInfo> {
    const request: DeviceCodeRequest = {
      scopes: [this.settings.scope],
      deviceCodeCallback: (response) => this.show(response.message),
    }
    this.pending = request
    try {
      const result = await this.app.acquireTokenByDeviceCode(request)
      if (!result?.account) throw new SignInError('Entra answered the sign-in without an account; try again.')
      this.account = result.account
      return result.account
    } catch (error) {
      throw signInFailure(error)
    } finally {
      this.pending = null
    }
  }

  private async silent(): Promise<string> {
    const account = this.account as AccountInfo
    try {
      const result = await this.app.acquireTokenSilent({ account, scopes: [this.settings.scope] })
      return result.accessToken
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        throw new SignInError(
          `Your sign-in can no longer be refreshed (${error.errorCode}); run the command again to sign in, and the job resumes where it stopped.`,
          { cause: error },
        )
      }
      throw signInFailure(error)
    }
  }
}

/** msal-node's errors, as one sentence that says what to do. */
function signInFailure(error: unknown): Error {
  if (error instanceof SignInError) return error
  if (!(error instanceof AuthError)) {
    return new SignInError(`Signing in failed: ${(error as Error).message}.`, { cause: error })
  }
  // Device code polling stops on any error but authorization_pending; msal-node names it in errorMessage.
  const serverError = error.errorCode === 'post_request_failed' ? error.errorMessage : error.errorCode
  switch (serverError) {
    case 'authorization_declined':
      return new SignInError(
        'The sign-in was declined on the device login page; run the command again and choose Continue.',
        {
          cause: error,
        },
      )
    case 'expired_token':
    case 'device_code_expired':
      return new SignInError(
        'The code expired before anyone signed in; run the command again and enter the new code within 15 minutes.',
        {
          cause: error,
        },
      )
    case 'device_code_polling_cancelled':
      return new SignInError('Signing in was cancelled.', { cause: error })
  }
  const aadsts = /AADSTS\d+: [^.]*\./.exec(error.errorMessage)?.[0]
  return new SignInError(
    `Signing in failed (${error.errorCode}): ${aadsts ?? (error.errorMessage || 'no details')} Check --tenant or --authority, --client-id and --scope.`,
    { cause: error },
  )
}
