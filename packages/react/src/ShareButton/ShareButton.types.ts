import type { ReactNode } from 'react'
import type { ShareWithExternalUserProps } from '../ShareWithExternalUser/ShareWithExternalUser.types.js'

/** Props of `<ShareButton>`: every `<ShareWithExternalUser>` prop, plus the button's. */
export type ShareButtonProps = WithoutLabelledBy<ShareWithExternalUserProps> & {
  /** The button's content. @default strings.openButton ("Share…") */
  children?: ReactNode
  /** Added to the button's class (`es-ShareButton`). */
  buttonClassName?: string
}

// The dialog labels the form with its own heading; Omit is spread over the union so `bffUrl | client` survives.
type WithoutLabelledBy<P> = P extends unknown ? Omit<P, 'labelledBy'> : never
