import type { ShareWithExternalUserProps, ShareWithExternalUserState } from '@entra-share/react'

/**
 * Props of `<FluentShareWithExternalUser>`: those of `<ShareWithExternalUser>` from `@entra-share/react`, the same
 * component in Fluent UI v9. `className` is added to the root (`es-FluentShare`) and `ref` reaches it.
 */
export type FluentShareWithExternalUserProps = ShareWithExternalUserProps

/** The parts of `<FluentShareWithExternalUser>` that carry a class name (fixed, plus Griffel's). */
export type FluentShareWithExternalUserSlot =
  | 'root'
  | 'live'
  | 'form'
  | 'title'
  | 'text'
  | 'alert'
  | 'requestId'
  | 'field'
  | 'daysInput'
  | 'actions'
  | 'success'
  | 'pending'
  | 'note'
  | 'steps'
  | 'step'
  | 'stepMark'
  | 'details'
  | 'url'

/**
 * What `renderFluentShareWithExternalUser` draws: the state of `useShareWithExternalUser` (values, errors, status,
 * strings and ARIA prop bags), plus the class of each part.
 */
export interface FluentShareWithExternalUserState extends ShareWithExternalUserState {
  /** Each part's class: its fixed name (`fluentShareWithExternalUserClassNames`) and, once styled, Griffel's. */
  classes: Record<FluentShareWithExternalUserSlot, string>
}
