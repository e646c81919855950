import type { ReactElement } from 'react'
import { renderShareWithExternalUser } from './renderShareWithExternalUser.js'
import type { ShareWithExternalUserProps } from './ShareWithExternalUser.types.js'
import { useShareWithExternalUser } from './useShareWithExternalUser.js'

/**
 * Invite an external user: email and name (plus a group preset and a personal message when the BFF offers them),
 * a success view with the redeem link and object id, and a sentence for every failure. Render it below a token
 * provider (`<MsalEntraShareProvider>` or `<EntraShareTokenProvider>`) or give it `getAccessToken`; import
 * `@entra-share/react/styles.css` for the default look.
 *
 * @example
 * <ShareWithExternalUser
 *   bffUrl="https://lob.contoso.com"
 *   scopes={['api://<BFF client id>/Invitations.Send']}
 *   onInvited={(invitation) => console.log(invitation.invitedUserId)}
 * />
 */
export function ShareWithExternalUser(props: ShareWithExternalUserProps): ReactElement {
  return renderShareWithExternalUser(useShareWithExternalUser(props))
}
