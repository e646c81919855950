/** `@entra-share/client`: a typed, framework-free client for the entra-share BFF. */
export type {
  BulkJob,
  ClientConfig,
  CreateInvitationRequest,
  FieldError,
  Invitation,
  InvitationListQuery,
  InvitationPage,
  Problem,
  ProblemCode,
} from '@entra-share/contracts'
export { type BffClient, createBffClient, type InviteOptions } from './bff-client.js'
export { type BulkClient, createBulkClient } from './bulk-client.js'
export { createIdempotencyKey } from './idempotency-key.js'
export {
  type ClientErrorCode,
  isShareError,
  ShareError,
  type ShareErrorCode,
  type ShareErrorDetails,
} from './share-error.js'
export type { BffClientOptions, CallOptions } from './transport.js'
