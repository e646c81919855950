import type { ShareButtonProps, ShareStrings } from '@entra-share/react'
import type { ButtonProps, DialogOpenChangeData, DialogOpenChangeEvent } from '@fluentui/react-components'
import type { ReactNode, Ref, RefObject } from 'react'
import type { FluentShareWithExternalUserProps } from '../FluentShareWithExternalUser/FluentShareWithExternalUser.types.js'

// Omit spread over the union, so `bffUrl | client` survives.
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/**
 * Props of `<FluentShareButton>`: those of `<ShareButton>` from `@entra-share/react` (every form prop, `children`,
 * `buttonClassName`, `open`, `defaultOpen`), with Fluent's `Dialog` types for `onOpenChange`.
 */
export type FluentShareButtonProps = DistributiveOmit<ShareButtonProps, 'onOpenChange' | 'ref'> & {
  /**
   * Called when the dialog asks to open or close, as Fluent's `Dialog` calls it: `data.open` is the state asked for,
   * `data.type` what asked (`triggerClick`, `escapeKeyDown`, `backdropClick`). Called controlled or not; a share
   * alone never closes the dialog (the success view shows the link to send).
   *
   * @example
   * const [open, setOpen] = useState(false)
   * <FluentShareButton open={open} onOpenChange={(_, data) => setOpen(data.open)} bffUrl={bffUrl} scopes={scopes} />
   */
  onOpenChange?: (event: DialogOpenChangeEvent, data: DialogOpenChangeData) => void
  /** The trigger button's appearance. @default 'secondary' */
  appearance?: ButtonProps['appearance']
  /**
   * A ref to the root element, the trigger button (the dialog lives in a Fluent portal while open).
   *
   * @example
   * const trigger = useRef<HTMLButtonElement>(null)
   * <FluentShareButton ref={trigger} bffUrl="https://lob.contoso.com" scopes={scopes} />
   */
  ref?: Ref<HTMLButtonElement>
}

/** The parts of `<FluentShareButton>` that carry a class name (fixed, plus Griffel's). */
export type FluentShareButtonSlot = 'button' | 'surface' | 'content'

/** What `renderFluentShareButton` draws. */
export interface FluentShareButtonState {
  /** Whether the dialog is open: the `open` prop, else the component's own state. */
  open: boolean
  onOpenChange: (event: DialogOpenChangeEvent, data: DialogOpenChangeData) => void
  strings: ShareStrings
  lang: string | undefined
  dir: 'ltr' | 'rtl' | undefined
  /** The dialog title's id: it labels the dialog and the form inside. */
  titleId: string
  buttonRef: Ref<HTMLButtonElement> | undefined
  surfaceRef: RefObject<HTMLDivElement | null>
  appearance: ButtonProps['appearance']
  /** The trigger's content. */
  children: ReactNode
  /** The props of the form in the dialog. */
  formProps: FluentShareWithExternalUserProps
  classes: Record<FluentShareButtonSlot, string>
}
