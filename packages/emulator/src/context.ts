import type { WorkloadIdentityIssuer } from './control/workload-identity-issuer.js'
import type { SigningKey } from './crypto/signing-keys.js'
import type { IssuerKeys } from './entra/issuer-keys.js'
import type { TokenService } from './entra/token-service.js'
import type { FaultEngine } from './faults/engine.js'
import type { Directory } from './state/directory.js'

/** Everything the emulator's routes share. One per running emulator. */
export interface EmulatorContext {
  /** `https://127.0.0.1:{port}`; set once the server listens. */
  baseUrl: string
  directory: Directory
  signingKey: SigningKey
  tokens: TokenService
  faults: FaultEngine
  /** The emulator's own test issuer of workload tokens (`/_emulator/workload-identity`). */
  workloadIdentity: WorkloadIdentityIssuer
  /** Fetches and caches external issuers' signing keys for federated client assertions. */
  issuerKeys: IssuerKeys
  clock: () => number
}

declare module 'fastify' {
  interface FastifyInstance {
    emulator: EmulatorContext
  }
}
