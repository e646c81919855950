import type { ReactElement } from 'react'
import type { GuestAccessProps } from './GuestAccess.types.js'
import { renderGuestAccess } from './renderGuestAccess.js'
import { useGuestAccessState } from './useGuestAccessState.js'

/**
 * The guests a signed-in user shared with, and what they may do about them: each guest's status (invited, accepted,
 * being set up, waiting for approval, denied, removing, removed), when their access ends ("Ends in 3 days" when soon),
 * a periodic review that waits for a decision, and the actions their policy allows — extend once (by the days
 * chosen in a confirm step), remove (after a confirm step), keep or remove in a review. With `view="approvals"` it
 * is an approver's queue: the requests waiting for them, each with an optional comment, Approve and Deny. Render it
 * below a token provider (`<MsalEntraShareProvider>` or `<EntraShareTokenProvider>`) or give it `getAccessToken`;
 * import `@entra-share/react/guest-access.css`.
 *
 * @example
 * import { GuestAccess } from '@entra-share/react/guest-access'
 * import '@entra-share/react/guest-access.css'
 *
 * <GuestAccess bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 *
 * @example
 * // An approver's queue
 * <GuestAccess view="approvals" bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 */
export function GuestAccess(props: GuestAccessProps): ReactElement {
  return renderGuestAccess(useGuestAccessState(props))
}
