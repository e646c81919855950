import { type ReactElement, useEffect, useId, useRef, useState } from 'react'
import { ShareWithExternalUser } from '../ShareWithExternalUser/ShareWithExternalUser.js'
import type { ShareWithExternalUserProps } from '../ShareWithExternalUser/ShareWithExternalUser.types.js'
import { mergeShareStrings } from '../ShareWithExternalUser/strings.js'
import type { ShareButtonProps } from './ShareButton.types.js'

/**
 * A button that opens `<ShareWithExternalUser>` in a modal `<dialog>`: focus moves into the form, Esc or Close
 * closes it, and focus returns to the button.
 *
 * @example
 * <ShareButton bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 */
export function ShareButton(props: ShareButtonProps): ReactElement {
  const { children, buttonClassName, ...formProps } = props
  const strings = mergeShareStrings(props.strings)
  const [open, setOpen] = useState(false)
  const dialogRef = useRef<HTMLDialogElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = dialogRef.current
    if (!open || !dialog) return
    // Engines without showModal (old browsers, jsdom) get an open, non-modal dialog; the keydown path closes it.
    if (!dialog.open)
      typeof dialog.showModal === 'function' ? dialog.showModal() : dialog.setAttribute('open', '')
    // showModal focuses the first focusable element, the Close button; the email field is where work starts.
    dialog.querySelector<HTMLElement>('input, select, textarea')?.focus()
  }, [open])

  const close = () => {
    const dialog = dialogRef.current
    if (dialog?.open) typeof dialog.close === 'function' ? dialog.close() : dialog.removeAttribute('open')
    setOpen(false)
    buttonRef.current?.focus()
  }

  return (
    <>
      <button
        type="button"
        ref={buttonRef}
        className={buttonClassName ? `es-ShareButton ${buttonClassName}` : 'es-ShareButton'}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {children ?? strings.openButton}
      </button>
      {open && (
        <dialog
          ref={dialogRef}
          className="es-ShareDialog"
          aria-labelledby={titleId}
          // The browser closes on Esc and fires `close`; the keydown path covers engines without native handling.
          onClose={close}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault()
              close()
            }
          }}
        >
          <div className="es-ShareDialog__header">
            <h2 className="es-ShareDialog__title" id={titleId}>
              {strings.dialogTitle}
            </h2>
            <button type="button" className="es-ShareDialog__close" onClick={close}>
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
