import { makeStyles, mergeClasses } from '@fluentui/react-components'
import type { FluentShareButtonSlot, FluentShareButtonState } from './FluentShareButton.types.js'

/**
 * The fixed class names of `<FluentShareButton>`'s parts: the trigger, the dialog surface and its content.
 *
 * @example
 * document.querySelector(`.${fluentShareButtonClassNames.surface}`) // the open dialog
 */
export const fluentShareButtonClassNames: Record<FluentShareButtonSlot, string> = {
  button: 'es-FluentShareButton',
  surface: 'es-FluentShareButton__surface',
  content: 'es-FluentShareButton__content',
}

const useStyles = makeStyles({
  // The form's own width, not the dialog's default 600px.
  surface: { maxInlineSize: 'min(36rem, calc(100vw - 32px))' },
})

/**
 * Adds the Griffel classes of `<FluentShareButton>` to `state.classes`.
 *
 * @example
 * const state = useFluentShareButton(props)
 * useFluentShareButtonStyles(state)
 * return renderFluentShareButton(state)
 */
export function useFluentShareButtonStyles(state: FluentShareButtonState): FluentShareButtonState {
  const styles = useStyles()
  state.classes.surface = mergeClasses(state.classes.surface, styles.surface)
  return state
}
