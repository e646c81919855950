import { readFile } from 'node:fs/promises'
import type { Configuration } from '@azure/msal-node'
import type { ClientCredential } from '../config.js'

/**
 * The msal-node `auth` options for the configured credential: a secret, a certificate, or a federated assertion
 * file (workload identity rotates that file in place, so it is read whenever MSAL asks, never cached).
 *
 * @example
 * new ConfidentialClientApplication({ auth: { clientId, authority, ...msalCredential(config.credential) } })
 */
export function msalCredential(credential: ClientCredential): Partial<Configuration['auth']> {
  switch (credential.kind) {
    case 'secret':
      return { clientSecret: credential.clientSecret }
    case 'certificate':
      return {
        clientCertificate: {
          thumbprintSha256: credential.thumbprintSha256,
          privateKey: credential.privateKeyPem,
          ...(credential.x5c ? { x5c: credential.x5c } : {}),
        },
      }
    case 'assertion-file':
      return { clientAssertion: async () => (await readFile(credential.path, 'utf8')).trim() }
  }
}
