/**
 * `@entra-share/react/guest-access`: the guests a user shared with (status, access term, reviews; extend, remove,
 * keep) and an approver's queue, a separate entry so the single-invite bundle stays small.
 */

export type { Invitation } from '@entra-share/contracts'
export { GuestAccess } from './GuestAccess.js'
export type {
  GuestAccessProps,
  GuestAccessState,
  GuestButton,
  GuestRow,
  GuestStatus,
} from './GuestAccess.types.js'
export { renderGuestAccess } from './renderGuestAccess.js'
export {
  defaultGuestAccessStrings,
  type GuestAccessStrings,
  type GuestAccessStringsOverride,
} from './strings.js'
export {
  type GuestAccessControls,
  type GuestActionName,
  type GuestActionOutcome,
  type GuestListScope,
  type GuestRowActivity,
  type UseGuestAccessOptions,
  useGuestAccess,
} from './useGuestAccess.js'
export { guestStatus, useGuestAccessState } from './useGuestAccessState.js'
