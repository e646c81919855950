import { readFileSync } from 'node:fs'
import { Value } from '@sinclair/typebox/value'
import { rbacSeedProblem } from '../rbac/seed-checks.js'
import { appRoleSeedProblem } from './app-role-seed-checks.js'
import { applicationCredentialProblem, hasCredential } from './application-credentials.js'
import defaultSeedJson from './default-seed.json' with { type: 'json' }
import { type Seed, SeedSchema } from './seed-schema.js'
import { subscriptionSeedProblem } from './seed-subscription-checks.js'
import { signInAudienceProblem } from './sign-in-audience.js'

export {
  type AdministrativeUnitSeed,
  type ApplicationSeed,
  type ExtensionPropertySeed,
  type FederatedIdentityCredentialSeed,
  type GroupSeed,
  type KeyCredentialSeed,
  type RoleAssignmentSeed,
  type RoleDefinitionSeed,
  type Seed,
  SeedSchema,
  type SubscribedSkuSeed,
  type TenantSeed,
  type TenantSettings,
  type UserSeed,
} from './seed-schema.js'

/** Raised when a seed file is not valid; the message names the JSON path and the problem. */
export class SeedError extends Error {
  override name = 'SeedError'
}

/** The seed the emulator starts with when none is given: the Contoso tenant described in the README. */
export const defaultSeed: Seed = parseSeed(defaultSeedJson, 'default-seed.json')

/**
 * Validates a seed object (parsed JSON) and checks cross-references (group members, unique ids).
 *
 * @example
 * const seed = parseSeed(JSON.parse(readFileSync('seed.json', 'utf8')), 'seed.json')
 */
export function parseSeed(input: unknown, source = 'seed'): Seed {
  const firstError = Value.Errors(SeedSchema, input).First()
  if (firstError) {
    const at = firstError.path || '/'
    throw new SeedError(`${source}: ${at}: ${firstError.message}`)
  }
  const seed = input as Seed
  const ids = new Set<string>()
  for (const tenant of seed.tenants) {
    for (const entity of [tenant, ...tenant.users, ...tenant.groups]) {
      const id = entity.id.toLowerCase()
      if (ids.has(id))
        throw new SeedError(`${source}: id ${entity.id} is used twice; every object id must be unique`)
      ids.add(id)
    }
    // A member is a user or a nested group of the same tenant (transitive membership follows nested groups).
    const memberIds = new Set([...tenant.users, ...tenant.groups].map((entity) => entity.id.toLowerCase()))
    for (const group of tenant.groups) {
      for (const member of group.members ?? []) {
        if (!memberIds.has(member.toLowerCase()) || member.toLowerCase() === group.id.toLowerCase()) {
          throw new SeedError(
            `${source}: group ${group.displayName} lists member ${member}, which is not a user or another group of tenant ${tenant.displayName}`,
          )
        }
      }
    }
    for (const app of tenant.applications) {
      if (app.kind === 'confidential' && !hasCredential(app)) {
        throw new SeedError(
          `${source}: application ${app.displayName} is confidential but has no clientSecrets, keyCredentials or federatedIdentityCredentials`,
        )
      }
      const credentialProblem = applicationCredentialProblem(app)
      if (credentialProblem)
        throw new SeedError(`${source}: application ${app.displayName}: ${credentialProblem}`)
    }
  }
  for (const tenant of seed.tenants) {
    const rbacProblem = rbacSeedProblem(tenant)
    if (rbacProblem) throw new SeedError(`${source}: tenant ${tenant.displayName}: ${rbacProblem}`)
    const subscriptionProblem = subscriptionSeedProblem(tenant)
    if (subscriptionProblem)
      throw new SeedError(`${source}: tenant ${tenant.displayName}: ${subscriptionProblem}`)
    const appRoleProblem = appRoleSeedProblem(tenant)
    if (appRoleProblem) throw new SeedError(`${source}: tenant ${tenant.displayName}: ${appRoleProblem}`)
  }
  const audienceProblem = signInAudienceProblem(seed)
  if (audienceProblem) throw new SeedError(`${source}: ${audienceProblem}`)
  return seed
}

/** Reads and validates a seed file. */
export function loadSeedFile(path: string): Seed {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new SeedError(`${path}: cannot read the seed file as JSON (${(error as Error).message})`)
  }
  return parseSeed(json, path)
}
