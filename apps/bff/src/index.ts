export { type BuildAppOptions, buildApp, LOG_REDACT_PATHS, logSerializers, redactUrl } from './app.js'
export { formatCheckReport, runCheck } from './check/run-check.js'
export type {
  BffConfig,
  ClientCredential,
  EmailMode,
  GroupPreset,
  PresetAppRole,
  PresetLicense,
  RateLimitConfig,
  SmtpConfig,
  WebhookConfig,
} from './config.js'
export type { EventDeliveryTiming, GuestEventHook } from './events/event-delivery.js'
export {
  verifyWebhook,
  type WebhookRequestHeaders,
  WebhookVerificationError,
} from './events/webhook.js'
export type { AccessTokenValidator, Caller, GraphTokenProvider } from './identity/caller.js'
export { callerKey } from './identity/caller.js'
export { createAppUserStore } from './invitations/app-user-store.js'
export {
  createGuestProvisioning,
  type GuestProvisioning,
  type ProvisioningOptions,
} from './invitations/guest-provisioning.js'
export { createInvitationStore } from './invitations/invitation-store.js'
export type { AppUser, AppUserStore, InvitationRecord, InvitationStore } from './invitations/types.js'
export { ConfigError, loadConfig } from './load-config.js'
export { openDatabase } from './platform/database.js'
export { createIdempotencyStore } from './platform/idempotency-store.js'
export { isProblemError, ProblemError, type ProblemExtras } from './platform/problem-error.js'
export { problemFrameworkErrors } from './platform/problem-reply.js'
export type { Database, IdempotencyStore } from './platform/types.js'
export { type EntraShareOptions, entraShare, type GuestEventOptions } from './plugin.js'
export { type ServerOptions, startServer } from './server.js'
export type { BffServices, ServiceOverrides } from './services.js'
