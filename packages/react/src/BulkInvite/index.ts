/** `@entra-share/react/bulk`: bulk invitations from a CSV, a separate entry so the single-invite bundle stays small. */

export { type BffClientOptions, type BulkClient, createBulkClient } from '@entra-share/client'
export type { BulkJob, BulkRowProblem, BulkRowReason } from '@entra-share/contracts'
export { BulkInvite } from './BulkInvite.js'
export type {
  BulkButton,
  BulkInviteProps,
  BulkInviteState,
  BulkInviteStatus,
  BulkTarget,
} from './BulkInvite.types.js'
export {
  type BulkFileProblem,
  type BulkPreview,
  type BulkPreviewProblem,
  type BulkPreviewRow,
  type BulkRowCheck,
  parseCsv,
  previewBulkCsv,
} from './parse-bulk-preview.js'
export { renderBulkInvite } from './renderBulkInvite.js'
export { type BulkStrings, type BulkStringsOverride, defaultBulkStrings } from './strings.js'
export { useBulkInvite } from './useBulkInvite.js'
