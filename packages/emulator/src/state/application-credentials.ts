import { keyCredentialProblem } from '../crypto/key-credentials.js'
import type { ApplicationSeed } from './seed-schema.js'

/** Whether a seeded app has any credential a confidential client can authenticate with. */
export function hasCredential(app: ApplicationSeed): boolean {
  return Boolean(
    app.clientSecrets?.length || app.keyCredentials?.length || app.federatedIdentityCredentials?.length,
  )
}

/**
 * What is wrong with a seeded app's certificates and federated identity credentials, or `undefined`. Entra's rules
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations): the issuer + subject
 * pair and the name are unique on the app.
 *
 * @example
 * const problem = applicationCredentialProblem(app) // "federatedIdentityCredentials[1]: issuer and subject …"
 */
export function applicationCredentialProblem(app: ApplicationSeed): string | undefined {
  for (const [index, credential] of (app.keyCredentials ?? []).entries()) {
    const problem = keyCredentialProblem(credential)
    if (problem) return `keyCredentials[${index}]: ${problem}`
  }
  const names = new Set<string>()
  const pairs = new Set<string>()
  for (const [index, credential] of (app.federatedIdentityCredentials ?? []).entries()) {
    const name = credential.name.toLowerCase()
    if (names.has(name))
      return `federatedIdentityCredentials[${index}]: the name ${credential.name} is used twice`
    names.add(name)
    const pair = JSON.stringify([credential.issuer, credential.subject])
    if (pairs.has(pair)) {
      return `federatedIdentityCredentials[${index}]: issuer and subject combination already exists for this application`
    }
    pairs.add(pair)
  }
  return undefined
}
