import { useShareWithExternalUser } from '@entra-share/react'
import type {
  FluentShareWithExternalUserProps,
  FluentShareWithExternalUserState,
} from './FluentShareWithExternalUser.types.js'
import { fluentShareWithExternalUserClassNames } from './useFluentShareWithExternalUserStyles.styles.js'

/**
 * The state of `<FluentShareWithExternalUser>`: `useShareWithExternalUser` from `@entra-share/react` as it is (the
 * form, the configuration, the request, the countdown, focus and the live region), with the parts' fixed class
 * names. Style it with `useFluentShareWithExternalUserStyles`, draw it with `renderFluentShareWithExternalUser`.
 *
 * @example
 * function MyFluentShare(props: FluentShareWithExternalUserProps) {
 *   const state = useFluentShareWithExternalUser(props)
 *   useFluentShareWithExternalUserStyles(state)
 *   state.classes.root += ' my-share'
 *   return renderFluentShareWithExternalUser(state)
 * }
 */
export function useFluentShareWithExternalUser(
  props: FluentShareWithExternalUserProps,
): FluentShareWithExternalUserState {
  const state = useShareWithExternalUser(props)
  return { ...state, classes: { ...fluentShareWithExternalUserClassNames } }
}
