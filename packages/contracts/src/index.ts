export {
  type BulkColumnKey,
  BulkJob,
  BulkJobStatus,
  BulkRowProblem,
  type BulkRowReason,
  BulkRowStatus,
  bulkColumnKeys,
  bulkResultColumns,
  bulkRowReasonCatalogue,
  bulkRowReasons,
  bulkTemplateHeaders,
  bulkTemplateVersionRow,
} from './bulk.js'
export {
  constraints,
  controlCharacters,
  emailDomain,
  invisibleCharacters,
  isValidEmail,
} from './constraints.js'
export {
  type FieldError,
  isProblemCode,
  type Problem,
  type ProblemCode,
  problemCatalogue,
  problemCodes,
  problemType,
} from './problems.js'
export {
  ClientConfig,
  CreateInvitationRequest,
  ExternalUserState,
  GroupPresetSummary,
  Invitation,
  InvitationListQuery,
  InvitationPage,
  InvitationStep,
  ProblemDocument,
} from './schemas.js'
