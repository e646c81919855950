export { type BuildAppOptions, buildApp, LOG_REDACT_PATHS } from './app.js'
export type {
  BffConfig,
  ClientCredential,
  EmailMode,
  GroupPreset,
  RateLimitConfig,
  SmtpConfig,
} from './config.js'
export { configForEmulator, type EmulatorLike } from './emulator-config.js'
export type { AccessTokenValidator, Caller, GraphTokenProvider } from './identity/caller.js'
export { callerKey } from './identity/caller.js'
export { ConfigError, loadConfig } from './load-config.js'
export { type EntraShareOptions, entraShare } from './plugin.js'
export { isProblemError, ProblemError, type ProblemExtras } from './problem-error.js'
export { type ServerOptions, startServer } from './server.js'
export type { BffServices, ServiceOverrides } from './services.js'
