import type { ShareErrorCode } from '@entra-share/client'
import type { Invitation } from '@entra-share/contracts'
import type { InputHTMLAttributes, MouseEventHandler, Ref, RefObject, SyntheticEvent } from 'react'
import type { LocaleRequest } from '../locales/EntraShareLocaleProvider.js'
import type { GuestAccessStrings, GuestAccessStringsOverride } from './strings.js'
import type { GuestActionName, UseGuestAccessOptions } from './useGuestAccess.js'

/** Props of `<GuestAccess>`. */
export type GuestAccessProps = UseGuestAccessOptions & {
  /**
   * `guests`: the guests of `scope`, with their status, access term and review, and the sponsor's actions (extend,
   * remove, keep or remove in a review). `approvals`: the requests the signed-in user may decide, with approve and
   * deny and an optional comment (`GET /api/invitations?scope=approvals`).
   * @default 'guests'
   */
  view?: 'guests' | 'approvals'
  /**
   * Whose guests the `guests` view lists: `mine` (the signed-in user's), `all` (every guest; the BFF allows it to
   * administrators only), `reviews` (those whose periodic review waits for a decision).
   * @default 'mine'
   */
  scope?: 'mine' | 'all' | 'reviews'
  /** A partial override of any user-facing text, merged onto the language's strings (`defaultGuestAccessStrings`). */
  strings?: GuestAccessStringsOverride
  /**
   * The language: a BCP 47 tag (`de-AT`) or several in order of preference, matched among the packs of
   * `<EntraShareLocaleProvider>` (which this needs) and the built-in English. Dates follow it too.
   * @default the provider's `locale`, else the browser's languages (`navigator.languages`)
   */
  locale?: LocaleRequest | undefined
  /** Access ending within this many days is flagged "Ends in N days" instead of its date. @default 7 */
  expiringWithinDays?: number
  /**
   * The time "Ends in N days" counts from, for tests and pictures that must not change from day to day.
   * @default the current time
   */
  now?: Date | number
  /** Added to the root element's class (`es-Guests`). */
  className?: string
  /** Level of the title. @default 2 */
  headingLevel?: 2 | 3 | 4 | 5 | 6
  /**
   * A ref to the root element, the `<section class="es-Guests">` (React 19 passes `ref` as a prop; React 18 drops it).
   *
   * @example
   * const root = useRef<HTMLElement>(null)
   * <GuestAccess ref={root} bffUrl="https://lob.contoso.com" scopes={scopes} />
   */
  ref?: Ref<HTMLElement>
}

/**
 * A guest's status in words: `invited` (waiting for the guest to accept), `accepted`, `partial` (a follow-up step is
 * retried), `pending_approval`, `denied` (or `request_expired`: nobody decided in time), `removing`, `removed`.
 */
export type GuestStatus =
  | 'invited'
  | 'accepted'
  | 'partial'
  | 'pending_approval'
  | 'denied'
  | 'request_expired'
  | 'removing'
  | 'removed'

/** A row's button: what it shows, its accessible name (with the guest), and its state. */
export interface GuestButton {
  action: GuestActionName | 'confirmRemove' | 'confirmExtend' | 'cancel' | 'loadMore' | 'retry'
  label: string
  /** The accessible name, which names the guest ("Remove ada@fabrikam.example"); the label when absent. */
  name?: string
  onClick: MouseEventHandler<HTMLButtonElement>
  /**
   * Set while another action of the row is in flight: the button keeps its focus and place (`aria-disabled`) and
   * ignores presses.
   */
  disabled?: boolean
  busy?: boolean
  /** Its tone: `primary` (the row's main action), `danger` (removes), else a plain button. */
  tone?: 'primary' | 'danger'
  /** The element id, so focus can come back to it after the confirm dialog. */
  id?: string
}

/** One row of the table. */
export interface GuestRow {
  invitation: Invitation
  id: string
  /** The guest's header cell's id (focused when the row's button in use went away). */
  headerId: string
  email: string
  name: string | null
  status: GuestStatus
  statusText: string
  /** The access term, review and request lines; `warning` marks what needs attention soon. */
  details: { key: string; text: string; warning?: boolean }[]
  busy: boolean
  /** The last action's failure, as the catalogue's sentence. */
  error: { message: string; requestId?: string; code: ShareErrorCode } | null
  /** The approver's comment field (the `approvals` view, while the request waits). */
  comment: (InputHTMLAttributes<HTMLInputElement> & { id: string; value: string }) | null
  commentLabel: string | null
  actions: GuestButton[]
}

/** Everything `renderGuestAccess` needs: state, strings and prop bags. */
export interface GuestAccessState {
  view: 'guests' | 'approvals'
  status: 'loading' | 'ready' | 'error'
  strings: GuestAccessStrings
  className: string | undefined
  /** The root's `lang` and `dir`: the language's, under `<EntraShareLocaleProvider>`; else left to the page. */
  lang: string | undefined
  dir: 'ltr' | 'rtl' | undefined
  headingLevel: 2 | 3 | 4 | 5 | 6
  rootRef?: Ref<HTMLElement>
  ids: { title: string }
  title: string
  columns: { guest: string; status: string; details: string; actions: string }
  /** Shown instead of the table when the list is read and empty. */
  emptyText: string | null
  rows: GuestRow[]
  /** Why the list could not be read, with Try again. */
  alert: {
    title: string
    message: string
    requestId?: string
    code: ShareErrorCode
    retry: GuestButton
  } | null
  loadMore: GuestButton | null
  /**
   * The confirm step before a removal or an extension: a modal dialog, focus on Cancel (a removal) or on the days to
   * add (an extension), back to the button that opened it when it closes.
   */
  confirm: {
    titleId: string
    title: string
    text: string
    confirm: GuestButton
    cancel: GuestButton
    dialogRef: RefObject<HTMLDialogElement | null>
    /** Esc and the browser's close request: cancel. */
    onCancel: (event: SyntheticEvent<HTMLDialogElement>) => void
    /**
     * Extend's days to add, in the manner of React Aria's prop bags: a number field prefilled with the days the
     * access was first given, named with its guest, described by its hint and its error; `null` for a removal.
     */
    days: {
      /** The visible label, for the input (`inputProps.id`). */
      label: string
      inputProps: InputHTMLAttributes<HTMLInputElement> & {
        id: string
        value: string
        'aria-invalid': true | undefined
      }
      hint: string
      hintProps: { id: string }
      /** Why the typed days were refused, once Extend access was pressed. */
      errorMessage: string | undefined
      errorMessageProps: { id: string }
    } | null
  } | null
  /** The text of the polite live region. */
  announcement: string
}
