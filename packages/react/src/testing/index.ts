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
  createMsalStandIn,
  type MsalStandIn,
  type MsalStandInOptions,
  type StandInCall,
  type StandInOutcome,
  standInAccount,
} from './msal-stand-in.js'
