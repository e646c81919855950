import type { DirectoryGroup, DirectoryUser } from '../state/directory.js'
import { GROUP_PROPERTY_NAMES, groupJson } from './group-read.js'
import {
  SERVICE_PRINCIPAL_PROPERTY_NAMES,
  type ServicePrincipalView,
  selectProperties,
} from './service-principal-view.js'
import { DEFAULT_USER_PROPERTIES, USER_PROPERTY_NAMES, userJson } from './user-view.js'

/** A member or owner in a `directoryObject` collection. */
export type DirectoryObjectEntry =
  | { kind: 'user'; user: DirectoryUser }
  | { kind: 'group'; group: DirectoryGroup }
  | { kind: 'servicePrincipal'; servicePrincipal: ServicePrincipalView }

/** Every property `$select` may name on a collection of users, groups and service principals. */
export const DIRECTORY_OBJECT_PROPERTY_NAMES: readonly string[] = [
  ...new Set<string>([...USER_PROPERTY_NAMES, ...GROUP_PROPERTY_NAMES, ...SERVICE_PRINCIPAL_PROPERTY_NAMES]),
]

export const DIRECTORY_OBJECT_TYPE_NAME = 'microsoft.graph.directoryObject'

/**
 * One entry of a `directoryObject` collection: `@odata.type`, then the selected properties the object's type
 * declares (`null`: the type's default set). With `limited`, Graph's answer for objects the caller may not read:
 * the type and `id`, every other property `null`
 * (https://learn.microsoft.com/graph/permissions-overview#limited-information-returned-for-inaccessible-member-objects).
 *
 * @example
 * directoryObjectJson({ kind: 'user', user }, ['id']) // { '@odata.type': '#microsoft.graph.user', id: '…' }
 */
export function directoryObjectJson(
  entry: DirectoryObjectEntry,
  properties: readonly string[] | null,
  limited = false,
): Record<string, unknown> {
  const { type, declared, defaults, full } = describe(entry)
  const names = properties ? properties.filter((name) => declared.includes(name)) : defaults
  const json: Record<string, unknown> = limited
    ? Object.fromEntries(names.map((name) => [name, name === 'id' ? full(['id']).id : null]))
    : full(names)
  return { '@odata.type': `#microsoft.graph.${type}`, ...json }
}

function describe(entry: DirectoryObjectEntry): {
  type: string
  declared: readonly string[]
  defaults: readonly string[]
  full: (names: readonly string[]) => Record<string, unknown>
} {
  if (entry.kind === 'user') {
    return {
      type: 'user',
      declared: USER_PROPERTY_NAMES,
      defaults: DEFAULT_USER_PROPERTIES,
      full: (names) => userJson(entry.user, names),
    }
  }
  if (entry.kind === 'group') {
    return {
      type: 'group',
      declared: GROUP_PROPERTY_NAMES,
      defaults: GROUP_PROPERTY_NAMES,
      full: (names) => groupJson(entry.group, names),
    }
  }
  return {
    type: 'servicePrincipal',
    declared: SERVICE_PRINCIPAL_PROPERTY_NAMES,
    defaults: SERVICE_PRINCIPAL_PROPERTY_NAMES,
    full: (names) => selectProperties(entry.servicePrincipal, names, SERVICE_PRINCIPAL_PROPERTY_NAMES),
  }
}
