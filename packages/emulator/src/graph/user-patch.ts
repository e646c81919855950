import type { DirectoryUser } from '../state/directory.js'
import {
  extensionValue,
  isExtensionPropertyName,
  type UserExtensionProperty,
} from './directory-extensions.js'
import { USER_PROPERTY_NAMES } from './user-view.js'

/** A validated `PATCH /users/{id}` body: apply it with `directory.updateUser(user, changes)`. */
export type UserChanges = Partial<DirectoryUser>

export type UserPatchResult =
  | {
      ok: true
      changes: UserChanges
      /** Directory extension values by declared name; `null` removes one (`applyExtensionValues`). */
      extensions: Record<string, unknown>
    }
  | { ok: false; message: string }

type Coerce = (value: unknown) => { value: unknown } | undefined

const nullableString: Coerce = (value) =>
  value === null || typeof value === 'string' ? { value } : undefined
const requiredString: Coerce = (value) =>
  typeof value === 'string' && value.trim() !== '' ? { value } : undefined
const stringList: Coerce = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? { value } : undefined

/** Properties a caller with `User.ReadWrite.All` may change, and how each value is checked. */
const WRITABLE: Record<string, Coerce> = {
  accountEnabled: (value) => (typeof value === 'boolean' ? { value } : undefined),
  businessPhones: (value) => (stringList(value) && (value as string[]).length <= 1 ? { value } : undefined),
  companyName: nullableString,
  department: nullableString,
  displayName: requiredString,
  givenName: nullableString,
  jobTitle: nullableString,
  mail: nullableString,
  mobilePhone: nullableString,
  officeLocation: nullableString,
  otherMails: stringList,
  preferredLanguage: nullableString,
  surname: nullableString,
  // ISO 3166-1 alpha-2; the directory stores it upper case.
  usageLocation: (value) =>
    value === null
      ? { value }
      : typeof value === 'string' && /^[A-Za-z]{2}$/.test(value)
        ? { value: value.toUpperCase() }
        : undefined,
  userPrincipalName: (value) =>
    typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value) ? { value } : undefined,
  userType: (value) => (value === 'Member' || value === 'Guest' ? { value } : undefined),
}

/**
 * Validates a `PATCH /users/{id}` body the way the directory does: unknown properties, read-only properties
 * and values of the wrong shape are refused as a whole (nothing is applied), OData annotations are ignored.
 * Directory extensions (`extension_{appId}_{name}`) must be among `extensions`, the ones declared in the tenant;
 * the others are refused together: "The following extension properties are not available: {names}."
 *
 * @example
 * const result = parseUserPatch({ usageLocation: 'gb', givenName: 'Ada' }) // { ok: true, changes: { usageLocation: 'GB', givenName: 'Ada' }, extensions: {} }
 */
export function parseUserPatch(
  body: unknown,
  extensions: ReadonlyMap<string, UserExtensionProperty> = new Map(),
): UserPatchResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'The request body must be a JSON object with the properties to update.' }
  }
  const changes: Record<string, unknown> = {}
  const extensionValues: Record<string, unknown> = {}
  const unavailable: string[] = []
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@')) continue
    if (isExtensionPropertyName(name)) {
      const extension = extensions.get(name.toLowerCase())
      if (!extension) {
        unavailable.push(name)
        continue
      }
      const stored = extensionValue(extension, value)
      if (!stored)
        return { ok: false, message: `Invalid value specified for property '${name}' of resource 'User'.` }
      extensionValues[extension.name] = stored.value
      continue
    }
    const coerce = WRITABLE[name]
    if (!coerce) {
      const declared = (USER_PROPERTY_NAMES as string[]).includes(name)
      return {
        ok: false,
        message: declared
          ? `Property '${name}' is read-only and cannot be set.`
          : `Property '${name}' does not exist as a declared property or extension property.`,
      }
    }
    const coerced = coerce(value)
    if (!coerced)
      return { ok: false, message: `Invalid value specified for property '${name}' of resource 'User'.` }
    changes[name] = coerced.value
  }
  if (unavailable.length > 0) {
    return {
      ok: false,
      message: `The following extension properties are not available: ${unavailable.join(',')}.`,
    }
  }
  return { ok: true, changes: changes as UserChanges, extensions: extensionValues }
}
