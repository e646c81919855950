import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendGraphError } from './errors.js'

/**
 * The resource paths under `/v1.0` the emulator serves; `{id}` stands for any key segment. Used to tell a segment
 * Graph would not know from a known resource asked with a method the emulator does not serve.
 */
const KNOWN_PATHS = [
  '$batch',
  'directory/administrativeUnits/{id}/members',
  'directory/deletedItems/{id}/restore',
  'groups/{id}/members/$ref',
  'groups/{id}/members/{id}/$ref',
  'groups/{id}/owners',
  'groups/{id}/transitiveMembers',
  'invitations',
  'me',
  'oauth2PermissionGrants',
  'roleManagement/directory/roleAssignments',
  'roleManagement/directory/roleDefinitions/{id}',
  'servicePrincipals/{id}',
  'servicePrincipals/{id}/appRoleAssignedTo/{id}',
  'subscribedSkus/{id}',
  'users/{id}/appRoleAssignments/{id}',
  'users/{id}/assignLicense',
  'users/{id}/checkMemberGroups',
  'users/{id}/sponsors/{id}/$ref',
].map((path) => path.split('/'))

/**
 * The first segment of a `/v1.0` path that names no resource Graph has, as Graph reports it
 * ("Resource not found for the segment 'userz'."); `undefined` when every segment is known. A key in parentheses
 * (`servicePrincipals(appId='…')`) belongs to its segment.
 *
 * @example
 * unknownSegment('/v1.0/users/abc/bogus') // 'bogus'
 */
export function unknownSegment(path: string): string | undefined {
  const segments = path
    .replace(/^\/v1\.0\/?/i, '')
    .split('/')
    .filter((segment) => segment !== '')
  let candidates = KNOWN_PATHS
  for (const [index, raw] of segments.entries()) {
    const segment = safeDecode(raw)
    const name = segment.replace(/\(.*\)$/, '').toLowerCase()
    candidates = candidates.filter((parts) => {
      const expected = parts[index]
      return expected !== undefined && (expected === '{id}' || expected.toLowerCase() === name)
    })
    if (candidates.length === 0) return segment
  }
  return undefined
}

/**
 * The emulator's not-found handler. Under `/v1.0` it answers as Graph does: 400 `BadRequest` "Resource not found for
 * the segment '…'." for an unknown segment (also inside `$batch`, whose items are replayed through the app), and 405
 * `Request_BadRequest` for a known resource asked with a method the emulator does not serve. Elsewhere, Fastify's
 * usual 404.
 */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] as string
  if (!/^\/v1\.0(\/|$)/i.test(path)) {
    return reply.code(404).send({
      message: `Route ${request.method}:${request.url} not found`,
      error: 'Not Found',
      statusCode: 404,
    })
  }
  const segment = unknownSegment(path)
  if (segment !== undefined)
    return sendGraphError(reply, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`)
  return sendGraphError(
    reply,
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
  )
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
