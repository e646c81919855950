export type { EmulatorContext } from './context.js'
export {
  AZURE_AD_TOKEN_EXCHANGE,
  WORKLOAD_IDENTITY_PATH,
  WorkloadIdentityIssuer,
  type WorkloadTokenRequest,
} from './control/workload-identity-issuer.js'
export { createSelfSignedCertificate, loadOrCreateTls } from './crypto/certificates.js'
export {
  type ClientCertificate,
  type ClientCertificateOptions,
  createClientCertificate,
} from './crypto/client-certificates.js'
export { GRAPH_AUDIENCE } from './entra/token-service.js'
export type { FaultConfig, FaultRule, ThrottleRule, UnavailableRule } from './faults/engine.js'
export { FaultEngine } from './faults/engine.js'
export type { LatencyRule, RequestKind } from './faults/latency.js'
export {
  defaultDataDir,
  type EmulatorOptions,
  type EmulatorTenantSettings,
  type RunningEmulator,
  startEmulator,
} from './start-emulator.js'
export { defaultSeedIds } from './state/default-seed-ids.js'
export type { DirectoryGroup, DirectoryUser, InvitationRecord, OutboxMessage } from './state/directory.js'
export { Directory } from './state/directory.js'
export type {
  AdministrativeUnitSeed,
  ApplicationSeed,
  FederatedIdentityCredentialSeed,
  GroupSeed,
  KeyCredentialSeed,
  RoleAssignmentSeed,
  RoleDefinitionSeed,
  Seed,
  TenantSeed,
  UserSeed,
} from './state/seed.js'
export { defaultSeed, loadSeedFile, parseSeed, SeedError } from './state/seed.js'
export { servicePrincipalId } from './state/service-principal-id.js'
