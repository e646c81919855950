import type { DirectoryUser, TenantState } from '../state/directory.js'
import type { ExtensionPropertySeed } from '../state/seed.js'

/** A directory extension users of the tenant may carry (`extensionProperty` with `targetObjects` holding `User`). */
export interface UserExtensionProperty {
  /** Graph's property name, `extension_{appIdWithoutDashes}_{name}`. */
  name: string
  dataType: ExtensionPropertySeed['dataType']
  isMultiValued: boolean
}

/** Whether a property name is a directory extension's (declared or not). */
export function isExtensionPropertyName(name: string): boolean {
  return /^extension_/i.test(name)
}

/**
 * The name Graph gives an app's directory extension: `extension_{appId without dashes}_{name}`
 * (https://learn.microsoft.com/graph/extensibility-overview#directory-microsoft-entra-id-extensions).
 *
 * @example
 * extensionPropertyName('bff00000-0000-4000-8000-00000000b001', 'partnerId') // 'extension_bff0000000004000800000000000b001_partnerId'
 */
export function extensionPropertyName(appId: string, name: string): string {
  return `extension_${appId.replace(/-/g, '').toLowerCase()}_${name}`
}

/**
 * The directory extensions for users declared by the tenant's applications, by lower-cased name. Only apps registered
 * in (seeded for) the tenant count: Entra makes an app's extensions available where the app has a service principal.
 */
export function userExtensionProperties(tenant: TenantState): Map<string, UserExtensionProperty> {
  const properties = new Map<string, UserExtensionProperty>()
  for (const app of tenant.applications.values()) {
    for (const extension of app.extensionProperties ?? []) {
      if (!(extension.targetObjects ?? ['User']).includes('User')) continue
      const name = extensionPropertyName(app.clientId, extension.name)
      properties.set(name.toLowerCase(), {
        name,
        dataType: extension.dataType,
        isMultiValued: extension.isMultiValued ?? false,
      })
    }
  }
  return properties
}

/**
 * A value as the directory stores it for the extension's data type, or `undefined` when it does not fit: `String`
 * up to 256 characters, `Binary` base64 of up to 256 bytes, `Integer` 32-bit, `LargeInteger` 64-bit (as a JSON
 * number), `Boolean`, `DateTime` ISO 8601 (kept in UTC); an array of those when multi-valued. `null` removes the value
 * (https://learn.microsoft.com/graph/api/resources/extensionproperty).
 *
 * @example
 * extensionValue({ name, dataType: 'String', isMultiValued: false }, 'P-1024') // { value: 'P-1024' }
 */
export function extensionValue(
  property: UserExtensionProperty,
  value: unknown,
): { value: unknown } | undefined {
  if (value === null) return { value: null }
  if (property.isMultiValued) {
    if (!Array.isArray(value)) return undefined
    const values: unknown[] = []
    for (const item of value) {
      const single = singleValue(property.dataType, item)
      if (!single) return undefined
      values.push(single.value)
    }
    return { value: values.length === 0 ? null : values }
  }
  return singleValue(property.dataType, value)
}

/** Stores validated extension values on a user; `null` removes the property. */
export function applyExtensionValues(user: DirectoryUser, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === null) delete user.directoryExtensions[name]
    else user.directoryExtensions[name] = value
  }
}

function singleValue(
  dataType: UserExtensionProperty['dataType'],
  value: unknown,
): { value: unknown } | undefined {
  switch (dataType) {
    case 'String':
      return typeof value === 'string' && value.length <= 256 ? { value } : undefined
    case 'Boolean':
      return typeof value === 'boolean' ? { value } : undefined
    case 'Integer':
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
        ? { value }
        : undefined
    case 'LargeInteger':
      return Number.isSafeInteger(value) ? { value } : undefined
    case 'DateTime': {
      if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return undefined
      const time = Date.parse(value)
      return Number.isNaN(time) ? undefined : { value: new Date(time).toISOString().replace(/\.000Z$/, 'Z') }
    }
    case 'Binary':
      return typeof value === 'string' &&
        /^[A-Za-z0-9+/]*={0,2}$/.test(value) &&
        value.length % 4 === 0 &&
        Buffer.from(value, 'base64').length <= 256
        ? { value }
        : undefined
  }
}
