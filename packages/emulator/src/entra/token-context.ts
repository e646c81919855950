import type { EmulatorContext } from '../context.js'
import type { TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import type { ParamReader } from './request-params.js'

/** Everything a grant handler of the token endpoint works with. */
export interface TokenContext {
  emulator: EmulatorContext
  tenant: TenantState
  /** The authenticated client (public clients are identified by `client_id` alone). */
  client: ApplicationSeed
  /** `azpacr` / `appidacr`: `0` public client, `1` client secret, `2` client assertion (certificate or federated). */
  clientAuthentication: '0' | '1' | '2'
  param: ParamReader
  /** Authorization codes already redeemed, so a second redemption gets Entra's AADSTS54005. */
  redeemedCodes: Set<string>
  /** The request carried an `Origin` header, as a browser's cross-origin `fetch` does (AADSTS9002327). */
  crossOrigin: boolean
}

/** A successful token response body. */
export type TokenResponseBody = Record<string, string | number>
