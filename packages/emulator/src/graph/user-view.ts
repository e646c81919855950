import type { DirectoryUser, TenantState } from '../state/directory.js'
import { isExtensionPropertyName, userExtensionProperties } from './directory-extensions.js'
import { parseSelect } from './select.js'

/** How each `microsoft.graph.user` property the emulator models is read from the directory. */
const USER_PROPERTIES = {
  id: (user) => user.id,
  accountEnabled: (user) => user.accountEnabled,
  assignedLicenses: (user) => user.assignedLicenses,
  businessPhones: (user) => user.businessPhones,
  companyName: (user) => user.companyName,
  createdDateTime: (user) => user.createdDateTime,
  creationType: (user) => user.creationType,
  // Set only on users in deleted items (`graph/deleted-items.ts` writes it); `null` for everyone else.
  deletedDateTime: () => null,
  department: (user) => user.department,
  displayName: (user) => user.displayName,
  externalUserState: (user) => user.externalUserState,
  externalUserStateChangeDateTime: (user) => user.externalUserStateChangeDateTime,
  givenName: (user) => user.givenName,
  jobTitle: (user) => user.jobTitle,
  mail: (user) => user.mail,
  mobilePhone: (user) => user.mobilePhone,
  officeLocation: (user) => user.officeLocation,
  otherMails: (user) => user.otherMails,
  preferredLanguage: (user) => user.preferredLanguage,
  surname: (user) => user.surname,
  usageLocation: (user) => user.usageLocation,
  userPrincipalName: (user) => user.userPrincipalName,
  userType: (user) => user.userType,
} satisfies Record<string, (user: DirectoryUser) => unknown>

export type UserProperty = keyof typeof USER_PROPERTIES

/** Every user property `$select` may name. */
export const USER_PROPERTY_NAMES = Object.keys(USER_PROPERTIES) as UserProperty[]

/** What Graph v1.0 returns for a user when no `$select` is given, in Graph's order. */
export const DEFAULT_USER_PROPERTIES: readonly UserProperty[] = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
]

/** The OData type name used in Graph's error messages about user properties. */
export const USER_TYPE_NAME = 'microsoft.graph.user'

/**
 * A user as Graph serialises it: the selected properties only, in the order asked for. A selected directory extension
 * (`extension_{appId}_{name}`) appears only when the user has a value for it.
 *
 * @example
 * userJson(user, ['displayName', 'externalUserState']) // { displayName: 'Grace Hopper', externalUserState: 'Accepted' }
 */
export function userJson(
  user: DirectoryUser,
  properties: readonly string[] | null = DEFAULT_USER_PROPERTIES,
): Record<string, unknown> {
  const json: Record<string, unknown> = {}
  for (const name of properties ?? DEFAULT_USER_PROPERTIES) {
    const read = USER_PROPERTIES[name as UserProperty] as ((user: DirectoryUser) => unknown) | undefined
    if (read) json[name] = structuredClone(read(user))
    else if (Object.hasOwn(user.directoryExtensions, name))
      json[name] = structuredClone(user.directoryExtensions[name])
  }
  return json
}

export type UserSelectResult =
  | { ok: true; properties: string[] | null }
  | { ok: false; code: 'BadRequest' | 'Request_UnsupportedQuery'; message: string }

/**
 * `$select` on users: the modelled properties plus the directory extensions declared in the tenant. An extension the
 * tenant does not declare is refused as the directory refuses it in queries (`Request_UnsupportedQuery` "Property
 * '…' does not exist as a declared property or extension property."); any other unknown name as Graph's OData layer
 * does (`BadRequest` "Could not find a property named …").
 *
 * @example
 * parseUserSelect('displayName,extension_bff0000000004000800000000000b001_partnerId', contoso)
 */
export function parseUserSelect(raw: unknown, tenant: TenantState): UserSelectResult {
  const extensions = userExtensionProperties(tenant)
  if (typeof raw === 'string') {
    for (const requested of raw.split(',').map((name) => name.trim())) {
      if (isExtensionPropertyName(requested) && !extensions.has(requested.toLowerCase())) {
        return {
          ok: false,
          code: 'Request_UnsupportedQuery',
          message: `Property '${requested}' does not exist as a declared property or extension property.`,
        }
      }
    }
  }
  const declared = [...USER_PROPERTY_NAMES, ...[...extensions.values()].map((extension) => extension.name)]
  const select = parseSelect(raw, declared, USER_TYPE_NAME)
  return select.ok ? select : { ok: false, code: 'BadRequest', message: select.message }
}
