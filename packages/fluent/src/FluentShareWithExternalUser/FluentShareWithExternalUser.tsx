import type { ReactElement } from 'react'
import type { FluentShareWithExternalUserProps } from './FluentShareWithExternalUser.types.js'
import { renderFluentShareWithExternalUser } from './renderFluentShareWithExternalUser.js'
import { useFluentShareWithExternalUser } from './useFluentShareWithExternalUser.js'
import { useFluentShareWithExternalUserStyles } from './useFluentShareWithExternalUserStyles.styles.js'

/**
 * `<ShareWithExternalUser>` of `@entra-share/react` in Fluent UI v9: email and name (plus a group preset and a
 * personal message when the BFF offers them), a success view with the redeem link, the object id and the follow-up
 * steps, and a sentence for every failure. Same props, strings, locales and accessibility; render it inside a
 * `FluentProvider` and below a token provider (`<MsalEntraShareProvider>` or `<EntraShareTokenProvider>`), or give
 * it `getAccessToken`.
 *
 * @example
 * <FluentProvider theme={webLightTheme}>
 *   <EntraShareTokenProvider getAccessToken={getAccessToken}>
 *     <FluentShareWithExternalUser
 *       bffUrl="https://lob.contoso.com"
 *       scopes={['api://<BFF client id>/Invitations.Send']}
 *       onInvited={(invitation) => console.log(invitation.invitedUserId)}
 *     />
 *   </EntraShareTokenProvider>
 * </FluentProvider>
 */
export function FluentShareWithExternalUser(props: FluentShareWithExternalUserProps): ReactElement {
  const state = useFluentShareWithExternalUser(props)
  useFluentShareWithExternalUserStyles(state)
  return renderFluentShareWithExternalUser(state)
}
