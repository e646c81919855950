import { makeStyles, mergeClasses, tokens, typographyStyles } from '@fluentui/react-components'
import type {
  FluentShareWithExternalUserSlot,
  FluentShareWithExternalUserState,
} from './FluentShareWithExternalUser.types.js'

/**
 * The fixed class names of `<FluentShareWithExternalUser>`'s parts, as Fluent UI exports `buttonClassNames`: stable
 * API for host styles and tests, next to Griffel's generated ones.
 *
 * @example
 * document.querySelector(`.${fluentShareWithExternalUserClassNames.alert}`) // the error summary
 */
export const fluentShareWithExternalUserClassNames: Record<FluentShareWithExternalUserSlot, string> = {
  root: 'es-FluentShare',
  live: 'es-FluentShare__live',
  form: 'es-FluentShare__form',
  title: 'es-FluentShare__title',
  text: 'es-FluentShare__text',
  alert: 'es-FluentShare__alert',
  requestId: 'es-FluentShare__requestId',
  field: 'es-FluentShare__field',
  daysInput: 'es-FluentShare__daysInput',
  actions: 'es-FluentShare__actions',
  success: 'es-FluentShare__success',
  pending: 'es-FluentShare__pending',
  note: 'es-FluentShare__note',
  steps: 'es-FluentShare__steps',
  step: 'es-FluentShare__step',
  stepMark: 'es-FluentShare__stepMark',
  details: 'es-FluentShare__details',
  url: 'es-FluentShare__url',
}

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    maxInlineSize: '32rem',
    color: tokens.colorNeutralForeground1,
    ...typographyStyles.body1,
  },
  // Read by screen readers, never seen.
  live: {
    position: 'absolute',
    inlineSize: '1px',
    blockSize: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
    border: 0,
  },
  stack: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  title: {
    margin: 0,
    ...typographyStyles.subtitle1,
    // The success heading takes focus: its outline is the keyboard user's only cue of where they are.
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: tokens.spacingHorizontalXXS,
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  text: { margin: 0 },
  alert: {
    // Focused when it appears, so the reader starts there; the outline shows it to keyboard users.
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: tokens.spacingHorizontalXXS,
    },
  },
  note: {
    margin: 0,
    color: tokens.colorNeutralForeground2,
    ...typographyStyles.caption1,
  },
  requestId: {
    display: 'block',
    color: tokens.colorNeutralForeground2,
    ...typographyStyles.caption1,
  },
  // A number of days needs no line's width.
  daysInput: { maxInlineSize: '10rem' },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
  },
  steps: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  step: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    [`&[data-status="succeeded"] .${fluentShareWithExternalUserClassNames.stepMark}`]: {
      color: tokens.colorStatusSuccessForeground1,
    },
  },
  // The mark repeats the words (✓ done, ○ still to do) for the eye; screen readers hear the words only.
  stepMark: {
    flexShrink: 0,
    inlineSize: '1em',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
  },
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    alignItems: 'baseline',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    '& dt': { fontWeight: tokens.fontWeightSemibold },
    '& dd': {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: tokens.spacingHorizontalS,
      margin: 0,
      minInlineSize: 0,
    },
    '& code': {
      fontFamily: tokens.fontFamilyMonospace,
      fontSize: tokens.fontSizeBase200,
      lineHeight: tokens.lineHeightBase200,
    },
  },
  url: {
    minInlineSize: 0,
    overflowWrap: 'anywhere',
  },
})

/**
 * Adds the Griffel classes of `<FluentShareWithExternalUser>` (Fluent tokens: the nearest `FluentProvider`'s theme
 * colours, spacing and type ramp) to `state.classes`, after the fixed names and before a host's `className`.
 *
 * @example
 * const state = useFluentShareWithExternalUser(props)
 * useFluentShareWithExternalUserStyles(state)
 * return renderFluentShareWithExternalUser(state)
 */
export function useFluentShareWithExternalUserStyles(
  state: FluentShareWithExternalUserState,
): FluentShareWithExternalUserState {
  const styles = useStyles()
  const { classes } = state
  // Fixed name, then Griffel's, then the host's `className` (last, so its rules win).
  classes.root = mergeClasses(classes.root, styles.root, state.className)
  classes.live = mergeClasses(classes.live, styles.live)
  classes.form = mergeClasses(classes.form, styles.stack)
  classes.success = mergeClasses(classes.success, styles.stack)
  classes.pending = mergeClasses(classes.pending, styles.stack)
  classes.note = mergeClasses(classes.note, styles.note)
  classes.title = mergeClasses(classes.title, styles.title)
  classes.text = mergeClasses(classes.text, styles.text)
  classes.alert = mergeClasses(classes.alert, styles.alert)
  classes.requestId = mergeClasses(classes.requestId, styles.requestId)
  classes.daysInput = mergeClasses(classes.daysInput, styles.daysInput)
  classes.actions = mergeClasses(classes.actions, styles.actions)
  classes.steps = mergeClasses(classes.steps, styles.steps)
  classes.step = mergeClasses(classes.step, styles.step)
  classes.stepMark = mergeClasses(classes.stepMark, styles.stepMark)
  classes.details = mergeClasses(classes.details, styles.details)
  classes.url = mergeClasses(classes.url, styles.url)
  return state
}
