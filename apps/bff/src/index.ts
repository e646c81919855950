export { type BuildAppOptions, buildApp, LOG_REDACT_PATHS, logSerializers, redactUrl } from './app.js'
export { formatCheckReport, runCheck } from './check/run-check.js'
export type {
  BffConfig,
  ClientCredential,
  EmailMode,
  GroupPreset,
  RateLimitConfig,
  SmtpConfig,
} from './config.js'
export { configForEmulator, type EmulatorLike } from './emulator-config.js'
export { problemFrameworkErrors } from './http/problem-reply.js'
export type { AccessTokenValidator, Caller, GraphTokenProvider } from './identity/caller.js'
export { callerKey } from './identity/caller.js'
export { ConfigError, loadConfig } from './load-config.js'
export { type EntraShareOptions, entraShare } from './plugin.js'
export { isProblemError, ProblemError, type ProblemExtras } from './problem-error.js'
export { type ServerOptions, startServer } from './server.js'
export type { BffServices, ServiceOverrides } from './services.js'
export { createAppUserStore } from './store/app-user-store.js'
export { openDatabase } from './store/database.js'
export { createIdempotencyStore } from './store/idempotency-store.js'
export { createInvitationStore } from './store/invitation-store.js'
export type {
  AppUser,
  AppUserStore,
  Database,
  IdempotencyStore,
  InvitationRecord,
  InvitationStore,
} from './store/types.js'
