import type { ReactElement } from 'react'
import type { FluentShareButtonProps } from './FluentShareButton.types.js'
import { renderFluentShareButton } from './renderFluentShareButton.js'
import { useFluentShareButton } from './useFluentShareButton.js'
import { useFluentShareButtonStyles } from './useFluentShareButtonStyles.styles.js'

/**
 * `<ShareButton>` of `@entra-share/react` in Fluent UI v9: a `Button` that opens `<FluentShareWithExternalUser>` in a
 * modal Fluent `Dialog`. Focus moves to the email field, Esc, Close or a click on the backdrop closes it, and focus
 * returns to the button. Uncontrolled (`defaultOpen`) or controlled (`open` with `onOpenChange`), as `Dialog`; `ref`
 * reaches the button.
 *
 * @example
 * <FluentProvider theme={webLightTheme}>
 *   <MsalEntraShareProvider>
 *     <FluentShareButton bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 *   </MsalEntraShareProvider>
 * </FluentProvider>
 *
 * @example
 * const [open, setOpen] = useState(false)
 * <FluentShareButton
 *   open={open}
 *   onOpenChange={(_, data) => setOpen(data.open)}
 *   bffUrl="https://lob.contoso.com"
 *   scopes={['api://<BFF client id>/Invitations.Send']}
 * />
 */
export function FluentShareButton(props: FluentShareButtonProps): ReactElement {
  const state = useFluentShareButton(props)
  useFluentShareButtonStyles(state)
  return renderFluentShareButton(state)
}
