export type { BffConfig, ClientCredential, EmailMode, GroupPreset, RateLimitConfig, SmtpConfig } from './config.js'
export type { AccessTokenValidator, Caller, GraphTokenProvider } from './identity/caller.js'
export { callerKey } from './identity/caller.js'
export { isProblemError, ProblemError, type ProblemExtras } from './problem-error.js'
