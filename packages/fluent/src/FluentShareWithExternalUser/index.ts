export { FluentShareWithExternalUser } from './FluentShareWithExternalUser.js'
export type {
  FluentShareWithExternalUserProps,
  FluentShareWithExternalUserSlot,
  FluentShareWithExternalUserState,
} from './FluentShareWithExternalUser.types.js'
export { renderFluentShareWithExternalUser } from './renderFluentShareWithExternalUser.js'
export { useFluentShareWithExternalUser } from './useFluentShareWithExternalUser.js'
export {
  fluentShareWithExternalUserClassNames,
  useFluentShareWithExternalUserStyles,
} from './useFluentShareWithExternalUserStyles.styles.js'
