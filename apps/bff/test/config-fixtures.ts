import { ConfigError, loadConfig } from '../src/load-config.js'

/** The fewest variables `loadConfig` accepts: a tenant, a client and a secret. */
export const minimalEnv = {
  ENTRA_SHARE_TENANT_ID: 'c0de0000-0000-4000-8000-000000000001',
  ENTRA_SHARE_CLIENT_ID: 'bff00000-0000-4000-8000-00000000b001',
  ENTRA_SHARE_CLIENT_SECRET: 's3cret',
}

/** The lines of the `ConfigError` that `env` gets; throws when `loadConfig` accepts it. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}
