import { useShareStrings } from '@entra-share/react'
import { useEffect, useId, useRef, useState } from 'react'
import type { FluentShareWithExternalUserProps } from '../FluentShareWithExternalUser/FluentShareWithExternalUser.types.js'
import type { FluentShareButtonProps, FluentShareButtonState } from './FluentShareButton.types.js'
import { fluentShareButtonClassNames } from './useFluentShareButtonStyles.styles.js'

/**
 * The state of `<FluentShareButton>`: open or not (controlled by `open`, else its own from `defaultOpen`), the
 * strings in the chosen language, and the form's props. When the dialog opens, focus goes to the first field (the
 * Fluent dialog focuses its first focusable element, the Close button; the email field is where work starts), and
 * Fluent returns it to the button when it closes.
 *
 * @example
 * function MyFluentShareButton(props: FluentShareButtonProps) {
 *   const state = useFluentShareButton(props)
 *   useFluentShareButtonStyles(state)
 *   return renderFluentShareButton(state)
 * }
 */
export function useFluentShareButton(props: FluentShareButtonProps): FluentShareButtonState {
  const {
    children,
    buttonClassName,
    open: openProp,
    defaultOpen,
    onOpenChange,
    appearance,
    ref,
    ...formProps
  } = props
  const { strings, lang, dir } = useShareStrings(props)
  const [openState, setOpenState] = useState(!!defaultOpen)
  const open = openProp ?? openState
  const titleId = useId()
  const surfaceRef = useRef<HTMLDivElement>(null)

  // After the Dialog's own effect (a child's effects run first), which focused the Close button.
  useEffect(() => {
    if (open) surfaceRef.current?.querySelector<HTMLElement>('input, textarea, [role="combobox"]')?.focus()
  }, [open])

  return {
    open,
    onOpenChange: (event, data) => {
      // Controlled: only ask. Uncontrolled: change, and tell.
      if (openProp === undefined) setOpenState(data.open)
      onOpenChange?.(event, data)
    },
    strings,
    lang,
    dir,
    titleId,
    buttonRef: ref,
    surfaceRef,
    appearance: appearance ?? 'secondary',
    children: children ?? strings.openButton,
    formProps: {
      ...(formProps as FluentShareWithExternalUserProps),
      labelledBy: titleId,
      headingLevel: props.headingLevel ?? 3,
    },
    classes: {
      ...fluentShareButtonClassNames,
      button: buttonClassName
        ? `${fluentShareButtonClassNames.button} ${buttonClassName}`
        : fluentShareButtonClassNames.button,
    },
  }
}
