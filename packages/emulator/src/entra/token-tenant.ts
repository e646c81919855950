import { decodeJwt } from 'jose'
import type { EmulatorContext } from '../context.js'
import type { TenantState } from '../state/directory.js'
import { aadsts } from './aadsts.js'
import { deviceCodesOf } from './device-codes.js'
import { DEVICE_CODE_GRANT_TYPE } from './grants/device-code.js'
import type { ParamReader } from './request-params.js'
import { authorityFromPath } from './tenant-path.js'

const ON_BEHALF_OF = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/**
 * The tenant a token request acts in. A tenant id or domain in the path names it. At `/organizations` and
 * `/common` (multi-tenant apps only, else AADSTS50194) the grant implies it, as Entra takes the tenant "from the
 * request or implied by any provided credentials": the tenant of the authorization code, refresh token or device
 * code, or the `tid` of an On-Behalf-Of assertion. Client credentials imply none: AADSTS50059. A grant the
 * emulator does not know falls to the first tenant listing the app, whose grant handler then refuses it.
 */
export function tenantForTokenRequest(
  emulator: EmulatorContext,
  segment: string,
  clientId: string | undefined,
  grantType: string,
  param: ParamReader,
): TenantState {
  const authority = authorityFromPath(emulator.directory, segment, clientId)
  if (!authority.anyOrganization) return authority.tenant
  if (grantType === 'client_credentials') throw aadsts.noTenantIdentified()
  const implied = impliedTenantId(emulator, grantType, param)
  return authority.tenants.find((tenant) => tenant.id === implied) ?? authority.tenant
}

function impliedTenantId(
  emulator: EmulatorContext,
  grantType: string,
  param: ParamReader,
): string | undefined {
  const { directory } = emulator
  switch (grantType) {
    case 'authorization_code':
      return directory.authorizationCodes.get(param('code') ?? '')?.tenantId
    case 'refresh_token':
      return directory.refreshTokens.get(param('refresh_token') ?? '')?.tenantId
    case DEVICE_CODE_GRANT_TYPE:
    case 'device_code':
      return deviceCodesOf(emulator).byDeviceCode(param('device_code') ?? param('code') ?? '')?.tenantId
    case ON_BEHALF_OF:
      return assertionTenantId(param('assertion'))
    default:
      return undefined
  }
}

// The assertion is verified by the grant itself; here it only says where to look.
function assertionTenantId(assertion: string | undefined): string | undefined {
  if (!assertion) return undefined
  try {
    const { tid } = decodeJwt(assertion)
    return typeof tid === 'string' ? tid.toLowerCase() : undefined
  } catch {
    return undefined
  }
}
