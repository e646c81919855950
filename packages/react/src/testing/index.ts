export {
  type BffHandlersOptions,
  bffHandlers,
  type InviteScenario,
  type RecordedInvite,
  testBffUrl,
  testClaims,
  testConfig,
  testInvitation,
  testProblem,
} from './bff-handlers.js'
export {
  type BulkHandlersOptions,
  type BulkScenario,
  bulkHandlers,
  type RecordedBulkCall,
  testBrokenFileDetail,
  testBulkJob,
} from './bulk-handlers.js'
export {
  type GuestCallName,
  type GuestCallOutcome,
  type GuestHandlersOptions,
  guestHandlers,
  type RecordedGuestCall,
  testApproval,
  testApprovalRequest,
  testApprovalRequests,
  testGuest,
  testGuests,
  testNow,
} from './guest-handlers.js'
export {
  createMsalStandIn,
  type MsalStandIn,
  type MsalStandInOptions,
  type StandInCall,
  type StandInOutcome,
  standInAccount,
} from './msal-stand-in.js'
