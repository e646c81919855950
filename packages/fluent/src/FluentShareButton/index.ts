export { FluentShareButton } from './FluentShareButton.js'
export type {
  FluentShareButtonProps,
  FluentShareButtonSlot,
  FluentShareButtonState,
} from './FluentShareButton.types.js'
export { renderFluentShareButton } from './renderFluentShareButton.js'
export { useFluentShareButton } from './useFluentShareButton.js'
export {
  fluentShareButtonClassNames,
  useFluentShareButtonStyles,
} from './useFluentShareButtonStyles.styles.js'
