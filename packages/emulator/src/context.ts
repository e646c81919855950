import type { Directory } from './directory.js'
import type { FaultEngine } from './faults.js'
import type { SigningKey } from './signing-keys.js'
import type { TokenService } from './tokens.js'

/** Everything the emulator's routes share. One per running emulator. */
export interface EmulatorContext {
  /** `https://127.0.0.1:{port}`; set once the server listens. */
  baseUrl: string
  directory: Directory
  signingKey: SigningKey
  tokens: TokenService
  faults: FaultEngine
  clock: () => number
}

declare module 'fastify' {
  interface FastifyInstance {
    emulator: EmulatorContext
  }
}
