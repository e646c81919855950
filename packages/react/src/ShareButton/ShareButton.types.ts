import type { KeyboardEvent, MouseEvent, ReactNode, Ref, SyntheticEvent } from 'react'
import type { ShareWithExternalUserProps } from '../ShareWithExternalUser/ShareWithExternalUser.types.js'

/**
 * What asked `<ShareButton>`'s dialog to open or close, as in Fluent UI v9's `DialogOpenChangeData`:
 * `triggerClick` (the button, or the dialog's Close button), `escapeKeyDown` (Esc, or the browser's own close
 * request) or `backdropClick` (a click outside the dialog).
 */
export type ShareButtonOpenChangeData =
  | { type: 'triggerClick'; open: boolean; event: MouseEvent<HTMLButtonElement> }
  | {
      type: 'escapeKeyDown'
      open: boolean
      event: KeyboardEvent<HTMLDialogElement> | SyntheticEvent<HTMLDialogElement>
    }
  | { type: 'backdropClick'; open: boolean; event: MouseEvent<HTMLDialogElement> }

/** The event passed first to `onOpenChange`. */
export type ShareButtonOpenChangeEvent = ShareButtonOpenChangeData['event']

/** Props of `<ShareButton>`: every `<ShareWithExternalUser>` prop, plus the button's and the dialog's. */
export type ShareButtonProps = WithoutLabelledBy<ShareWithExternalUserProps> & {
  /** The button's content. @default strings.openButton ("Share…") */
  children?: ReactNode
  /** Added to the button's class (`es-ShareButton`). */
  buttonClassName?: string
  /**
   * Whether the dialog is open: give it to control the dialog (with `onOpenChange`). The component then never
   * opens or closes it by itself; it asks through `onOpenChange`. Leave it out for an uncontrolled dialog.
   *
   * @example
   * const [open, setOpen] = useState(false)
   * <ShareButton open={open} onOpenChange={(_, data) => setOpen(data.open)} bffUrl={bffUrl} scopes={scopes} />
   */
  open?: boolean
  /**
   * Whether the uncontrolled dialog is open when the component mounts (ignored when `open` is given).
   * @default false
   *
   * @example
   * <ShareButton defaultOpen bffUrl="https://lob.contoso.com" scopes={scopes} />
   */
  defaultOpen?: boolean
  /**
   * Called when the dialog asks to open or close: `data.open` is the state asked for, `data.type` what asked
   * (`triggerClick`, `escapeKeyDown`, `backdropClick`). Called controlled or not. The dialog stays open after a
   * successful share (it shows the link to send), so a share alone never calls it.
   *
   * @example
   * <ShareButton
   *   open={open}
   *   onOpenChange={(event, { open, type }) => {
   *     if (!open && type === 'backdropClick' && formIsDirty) return // keep it open
   *     setOpen(open)
   *   }}
   *   bffUrl="https://lob.contoso.com"
   *   scopes={scopes}
   * />
   */
  onOpenChange?: (event: ShareButtonOpenChangeEvent, data: ShareButtonOpenChangeData) => void
  /**
   * A ref to the component's root element, the trigger `<button class="es-ShareButton">` (as Fluent UI's
   * components forward their ref to the root slot; the dialog is rendered next to it only while open). React 19
   * passes `ref` as a prop; React 18 drops it.
   *
   * @example
   * const trigger = useRef<HTMLButtonElement>(null)
   * <ShareButton ref={trigger} bffUrl="https://lob.contoso.com" scopes={scopes} />
   */
  ref?: Ref<HTMLButtonElement>
}

// The dialog labels the form with its own heading, and `ref` is the button's; Omit is spread over the union so
// `bffUrl | client` survives.
type WithoutLabelledBy<P> = P extends unknown ? Omit<P, 'labelledBy' | 'ref'> : never
