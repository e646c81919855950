import type { DirectoryUser } from '../state/directory.js'

/** How each `microsoft.graph.user` property the emulator models is read from the directory. */
const USER_PROPERTIES = {
  id: (user) => user.id,
  accountEnabled: (user) => user.accountEnabled,
  assignedLicenses: (user) => user.assignedLicenses,
  businessPhones: (user) => user.businessPhones,
  companyName: (user) => user.companyName,
  createdDateTime: (user) => user.createdDateTime,
  creationType: (user) => user.creationType,
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
 * A user as Graph serialises it: the selected properties only, in the order asked for.
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
    json[name] = structuredClone(USER_PROPERTIES[name as UserProperty](user))
  }
  return json
}
