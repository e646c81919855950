import type { ShareError } from '@entra-share/client'
import type {
  ClientConfig,
  CreatedInvitation,
  InvitationStep,
  PendingInvitation,
} from '@entra-share/contracts'
import type {
  ChangeEventHandler,
  FormEventHandler,
  HTMLAttributes,
  InputHTMLAttributes,
  LabelHTMLAttributes,
  MouseEventHandler,
  Ref,
  RefObject,
} from 'react'
import type { GetAccessToken } from '../access-token.js'
import type { LocaleRequest } from '../locales/EntraShareLocaleProvider.js'
import type { BffTarget, InviteStatus } from '../useInviteExternalUser.js'
import type { ShareStrings, ShareStringsOverride } from './strings.js'

/** The values of the share form. */
export interface ShareFormValues {
  email: string
  displayName: string
  presetId: string
  /**
   * Days of access, for a preset with `accessDays` (at most that many); empty: the preset's days. Sent as the
   * request's `accessDays` only when filled.
   */
  accessDays: string
  /** Why the guest needs access, for the approvers of a preset with an approval policy. */
  reason: string
  message: string
}

/** Props of `<ShareWithExternalUser>`. */
export type ShareWithExternalUserProps = BffTarget & {
  /** The scopes to request for the BFF, e.g. `['api://<BFF client id>/Invitations.Send']`. */
  scopes: readonly string[]
  /**
   * Gets the BFF token for this component, over the nearest `<EntraShareTokenProvider>` (or
   * `<MsalEntraShareProvider>`): resolve the token, or `null` to stop quietly; a rejection shows `sign_in_required`.
   */
  getAccessToken?: GetAccessToken | undefined
  /** Where the guest lands after redeeming; must be on the BFF's allowlist. @default the BFF's default */
  redirectUrl?: string
  /** Initial field values. */
  defaultValues?: Partial<ShareFormValues>
  /** A partial override of any user-facing text, merged onto the language's strings (`defaultShareStrings`). */
  strings?: ShareStringsOverride
  /**
   * The language: a BCP 47 tag (`de-AT`) or several in order of preference, matched among the packs of
   * `<EntraShareLocaleProvider>` (which this needs) and the built-in English.
   * @default the provider's `locale`, else the browser's languages (`navigator.languages`)
   *
   * @example
   * <EntraShareLocaleProvider packs={[de, fr]}>
   *   <ShareWithExternalUser locale={user.language} bffUrl="https://lob.contoso.com" scopes={scopes} />
   * </EntraShareLocaleProvider>
   */
  locale?: LocaleRequest | undefined
  /** Called once per successful invitation: the guest is invited. */
  onInvited?: (invitation: CreatedInvitation) => void
  /**
   * Called once per request that waits for an approver: the chosen preset has an approval policy, so the BFF recorded
   * the request (`202`, `status: 'pending_approval'`) and invites nobody until an approver approves it. The form
   * shows the waiting view.
   */
  onPendingApproval?: (request: PendingInvitation) => void
  /** Called for every failure shown. */
  onError?: (error: ShareError) => void
  /** Added to the root element's class (`es-Share`). */
  className?: string
  /** Level of the title and success headings. @default 2 */
  headingLevel?: 2 | 3 | 4 | 5 | 6
  /**
   * The id of an existing heading that labels the form (as in `<ShareButton>`'s dialog); the form then renders no
   * title of its own.
   */
  labelledBy?: string
  /**
   * A ref to the root element, the `<div class="es-Share">` (React 19 passes `ref` as a prop; React 18 drops it).
   *
   * @example
   * const root = useRef<HTMLDivElement>(null)
   * <ShareWithExternalUser ref={root} bffUrl="https://lob.contoso.com" scopes={scopes} />
   */
  ref?: Ref<HTMLDivElement>
}

/** The elements a share form field can be. */
export type ShareFieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

/** Label, input and error message props of one field, in the manner of React Aria. */
export interface ShareFieldProps<E extends ShareFieldElement = HTMLInputElement> {
  labelProps: LabelHTMLAttributes<HTMLLabelElement>
  inputProps: InputHTMLAttributes<E> & {
    id: string
    name: keyof ShareFormValues
    value: string
    onChange: ChangeEventHandler<E>
    'aria-invalid': true | undefined
    'aria-describedby': string | undefined
  }
  hintProps: HTMLAttributes<HTMLElement> & { id: string }
  errorMessageProps: HTMLAttributes<HTMLElement> & { id: string }
  /** The field's error sentence, browser or server. */
  errorMessage: string | undefined
}

/** Everything `renderShareWithExternalUser` needs: state, strings and prop bags. */
export interface ShareWithExternalUserState {
  status: InviteStatus
  strings: ShareStrings
  className: string | undefined
  /** The root's `lang` and `dir`: the language's, under `<EntraShareLocaleProvider>`; else left to the page. */
  lang: string | undefined
  dir: 'ltr' | 'rtl' | undefined
  headingLevel: 2 | 3 | 4 | 5 | 6
  labelledBy: string | undefined
  /** The `ref` prop, for the root element. */
  rootRef?: Ref<HTMLDivElement>
  /** The BFF's configuration once loaded (presets, email mode), else `null`. */
  config: ClientConfig | null
  ids: { title: string; alert: string; success: string }
  formProps: { onSubmit: FormEventHandler<HTMLFormElement>; noValidate: true; 'aria-labelledby': string }
  emailField: ShareFieldProps
  displayNameField: ShareFieldProps
  /**
   * Present when the BFF offers group presets. `hint` says what the chosen preset asks for: an approval, an access
   * term (`accessDays`).
   */
  presetField:
    | (ShareFieldProps<HTMLSelectElement> & {
        options: { value: string; label: string }[]
        hint: string | undefined
      })
    | null
  /**
   * Present when the chosen preset has an access term (`accessDays`): a number field (`inputProps.max` is the preset's
   * days) for fewer days than the preset's; empty sends none, so the preset's days apply. `hint` says the limit and
   * the default.
   */
  accessDaysField: (ShareFieldProps & { hint: string }) | null
  /**
   * Present when the chosen preset needs an approval: why the guest needs access, for the approvers; `required` when
   * the preset says `reasonRequired`.
   */
  reasonField: (ShareFieldProps<HTMLTextAreaElement> & { required: boolean }) | null
  /**
   * Present when invitations are emailed, so a personal message can travel. `hint` says the BFF's link policy
   * (`limits.messageLinks`): none allowed, or only to the allowed origins; `undefined` when any link may go.
   */
  messageField: (ShareFieldProps<HTMLTextAreaElement> & { hint: string | undefined }) | null
  /** The error summary: the failure or the browser's validation summary. */
  alert: { message: string; code: string; requestId?: string; adminConsentUrl?: string } | null
  alertRef: RefObject<HTMLDivElement | null>
  /** The heading of the success or the waiting view, focused when it appears. */
  successHeadingRef: RefObject<HTMLHeadingElement | null>
  /** Seconds left before retrying when throttled, else `0`. */
  retryInSeconds: number
  submit: { label: string; disabled: boolean; busy: boolean }
  /** The text of the polite live region. */
  announcement: string
  success: {
    title: string
    emailSentence: string
    partial: boolean
    /**
     * The follow-up steps of the invitation (all but `invite`) in words, one line per kind of step (the groups of the
     * chosen preset are one line), in the order the BFF lists them; a line's `status` is the worst of its kind.
     */
    steps: {
      name: Exclude<InvitationStep['name'], 'invite'>
      status: InvitationStep['status']
      text: string
    }[]
    redeemUrl: string
    objectId: string
    copyLabel: string
    onCopy: MouseEventHandler<HTMLButtonElement>
    onShareAnother: MouseEventHandler<HTMLButtonElement>
  } | null
  /** The waiting view: the request waits for an approver (`status` `pending_approval`). */
  pending: {
    title: string
    text: string
    /** Who may decide: the policy's app roles and groups, as one list for the reader. */
    approvers: string
    /** When the request is denied if nobody decided, as a date for the reader. */
    deadline: string
    reason: string | null
    onShareAnother: MouseEventHandler<HTMLButtonElement>
  } | null
}
