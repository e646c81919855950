/** `@entra-share/client`: a typed, framework-free client for the entra-share BFF. */
export type {
  ApprovalDecisionRequest,
  BulkJob,
  ClientConfig,
  CreatedInvitation,
  CreateInvitationRequest,
  ExtendAccessRequest,
  FieldError,
  Invitation,
  InvitationListQuery,
  InvitationPage,
  PendingInvitation,
  Problem,
  ProblemCode,
  ReviewDecisionRequest,
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
