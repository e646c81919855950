import {
  type MouseEvent,
  type ReactElement,
  type SyntheticEvent,
  useEffect,
  useId,
  useImperativeHandle,
  useRef,
  useState,
} from 'react'
import { useLocale } from '../locales/EntraShareLocaleProvider.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser/ShareWithExternalUser.js'
import type { ShareWithExternalUserProps } from '../ShareWithExternalUser/ShareWithExternalUser.types.js'
import { mergeShareStrings } from '../ShareWithExternalUser/strings.js'
import { shareButtonClassNames as classNames } from './ShareButton.classNames.js'
import type {
  ShareButtonOpenChangeData,
  ShareButtonOpenChangeEvent,
  ShareButtonProps,
} from './ShareButton.types.js'

// On the dialog element itself but outside its box: on its ::backdrop (padding and content are inside the box).
const onBackdrop = ({ target, currentTarget, clientX: x, clientY: y }: MouseEvent<HTMLDialogElement>) => {
  const box = currentTarget.getBoundingClientRect()
  return target === currentTarget && (x < box.left || x > box.right || y < box.top || y > box.bottom)
}

/**
 * A button that opens `<ShareWithExternalUser>` in a modal `<dialog>`: focus moves into the form, Esc, Close or a
 * click on the backdrop closes it, and focus returns to the button. Uncontrolled (`defaultOpen`) or controlled
 * (`open` with `onOpenChange`), as Fluent UI's Dialog; `ref` reaches the button.
 *
 * @example
 * <ShareButton bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 *
 * @example
 * const [open, setOpen] = useState(false)
 * <ShareButton
 *   open={open}
 *   onOpenChange={(_, data) => setOpen(data.open)}
 *   bffUrl="https://lob.contoso.com"
 *   scopes={['api://<BFF client id>/Invitations.Send']}
 * />
 */
export function ShareButton(props: ShareButtonProps): ReactElement {
  const { children, buttonClassName, open: openProp, defaultOpen, onOpenChange, ref, ...formProps } = props
  const { pack, lang, dir } = useLocale(props.locale)
  const strings = mergeShareStrings(props.strings, pack?.share)
  const [openState, setOpenState] = useState(!!defaultOpen)
  const open = openProp ?? openState
  const dialogRef = useRef<HTMLDialogElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(open)
  const backdropDown = useRef(false)
  const titleId = useId()
  // The button is the root element: `ref` reaches it.
  useImperativeHandle(ref, () => buttonRef.current as HTMLButtonElement, [])

  useEffect(() => {
    const dialog = dialogRef.current // rendered only while open
    if (dialog) {
      // Engines without showModal (old browsers, jsdom) get an open, non-modal dialog; the keydown path closes it.
      if (!dialog.open)
        typeof dialog.showModal === 'function' ? dialog.showModal() : dialog.setAttribute('open', '')
      // showModal focuses the first focusable element, the Close button; the email field is where work starts.
      dialog.querySelector<HTMLElement>('input, select, textarea')?.focus()
    } else if (wasOpen.current) buttonRef.current?.focus()
    wasOpen.current = open
  }, [open])

  // Controlled: only ask. Uncontrolled: change, and tell.
  const ask = (event: ShareButtonOpenChangeEvent, next: boolean, type: ShareButtonOpenChangeData['type']) => {
    if (openProp === undefined) setOpenState(next)
    onOpenChange?.(event, { type, open: next, event } as ShareButtonOpenChangeData)
  }
  // Esc is taken on keydown, and the browser's own close request (`cancel`) is refused: the dialog closes only
  // when `open` says so.
  const onEscape = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault()
    ask(event, false, 'escapeKeyDown')
  }

  return (
    <>
      <button
        type="button"
        ref={buttonRef}
        className={buttonClassName ? `${classNames.root} ${buttonClassName}` : classNames.root}
        lang={lang}
        dir={dir}
        aria-haspopup="dialog"
        onClick={(event) => ask(event, true, 'triggerClick')}
      >
        {children ?? strings.openButton}
      </button>
      {open && (
        <dialog
          ref={dialogRef}
          className={classNames.dialog}
          lang={lang}
          dir={dir}
          aria-labelledby={titleId}
          onKeyDown={(event) => event.key === 'Escape' && onEscape(event)}
          onCancel={onEscape}
          // Closed by the browser all the same (it may skip `cancel` on repeated close requests): say so, and show
          // a controlled dialog again, for only its parent closes it.
          onClose={(event) => {
            ask(event, false, 'escapeKeyDown')
            if (openProp) event.currentTarget.showModal()
          }}
          // A click pressed and released on the backdrop (a text selection dragged out of the form is not one).
          onMouseDown={(event) => {
            backdropDown.current = onBackdrop(event)
          }}
          onClick={(event) => {
            if (backdropDown.current && onBackdrop(event)) ask(event, false, 'backdropClick')
          }}
        >
          <div className={classNames.dialogHeader}>
            <h2 className={classNames.dialogTitle} id={titleId}>
              {strings.dialogTitle}
            </h2>
            <button
              type="button"
              className={classNames.dialogClose}
              onClick={(event) => ask(event, false, 'triggerClick')}
            >
              {strings.close}
            </button>
          </div>
          <ShareWithExternalUser
            {...(formProps as ShareWithExternalUserProps)}
            labelledBy={titleId}
            headingLevel={props.headingLevel ?? 3}
          />
        </dialog>
      )}
    </>
  )
}
