/**
 * `@entra-share/react/class-names`: the fixed class names of every component, as constants (Fluent UI's
 * `buttonClassNames`). A separate entry, so the component bundles stay within their size budgets.
 *
 * @example
 * import { shareWithExternalUserClassNames } from '@entra-share/react/class-names'
 * container.querySelector(`.${shareWithExternalUserClassNames.alert}`)
 */

export { bulkInviteClassNames } from './BulkInvite/BulkInvite.classNames.js'
export { guestAccessClassNames } from './GuestAccess/GuestAccess.classNames.js'
export { shareButtonClassNames } from './ShareButton/ShareButton.classNames.js'
export { shareWithExternalUserClassNames } from './ShareWithExternalUser/ShareWithExternalUser.classNames.js'
