import type { ShareError } from '@entra-share/client'
import {
  type ClientConfig,
  constraints,
  type GroupPresetSummary,
  isValidEmail,
  problemField,
} from '@entra-share/contracts'
import { readAccessDays } from '../access-days.js'
import { formatNumber, formatPlural } from '../format.js'
import type { ShareFormValues } from './ShareWithExternalUser.types.js'
import type { ShareStrings } from './strings.js'

export type FieldName = keyof ShareFormValues
/** An error sentence per field; a field without one is valid. */
export type FieldErrors = Partial<Record<FieldName, string>>

/** The fields in the order they are rendered: the first invalid one takes focus. */
export const fieldNames: readonly FieldName[] = [
  'email',
  'displayName',
  'presetId',
  'accessDays',
  'reason',
  'message',
]

/** What the chosen preset asks of the reason field: none (no approval), `optional`, or `required`. */
export type ReasonRule = 'none' | 'optional' | 'required'

/** The reason rule of a preset, from `GET /api/config`'s summary. */
export function reasonRuleOf(preset: GroupPresetSummary | undefined): ReasonRule {
  return !preset?.approvalRequired ? 'none' : preset.reasonRequired ? 'required' : 'optional'
}

const isFieldName = (name: string | undefined): name is FieldName =>
  (fieldNames as readonly (string | undefined)[]).includes(name)

/**
 * The server's rules, checked with the same constants (no validator runtime in the browser); `locale` formats the
 * limits and picks their plural form; `reason` is what the chosen preset asks of the reason field; `accessDaysMax`
 * is the chosen preset's `accessDays` (the most a request may ask for), `undefined` when it sets none (no field).
 */
export function validate(
  values: ShareFormValues,
  strings: ShareStrings,
  messageMaxLength: number,
  locale = 'en',
  reason: ReasonRule = 'none',
  accessDaysMax?: number,
): FieldErrors {
  const errors: FieldErrors = {}
  const email = values.email.trim()
  const tooLong = (max: number) =>
    formatPlural(strings.tooLong, max, locale, { max: formatNumber(max, locale) })
  if (email === '') errors.email = strings.emailRequired
  else if (email.length > constraints.emailMaxLength) errors.email = tooLong(constraints.emailMaxLength)
  else if (!isValidEmail(email)) errors.email = strings.emailInvalid
  if (values.displayName.trim().length > constraints.displayNameMaxLength)
    errors.displayName = tooLong(constraints.displayNameMaxLength)
  if (accessDaysMax && readAccessDays(values.accessDays, accessDaysMax) === null)
    errors.accessDays = formatPlural(strings.accessDaysInvalid, accessDaysMax, locale, {
      days: formatNumber(accessDaysMax, locale),
    })
  if (reason === 'required' && values.reason.trim() === '') errors.reason = strings.reasonRequired
  else if (reason !== 'none' && values.reason.length > constraints.reasonMaxLength)
    errors.reason = tooLong(constraints.reasonMaxLength)
  if (values.message.length > messageMaxLength) errors.message = tooLong(messageMaxLength)
  return errors
}

/** A failure's errors for the fields: the server's own, and the field the catalogue says a problem is about. */
export function serverFieldErrors(error: ShareError, strings: ShareStrings): FieldErrors {
  const inline: FieldErrors = {}
  for (const { field, message } of error.fieldErrors) if (isFieldName(field)) inline[field] = message
  const field = problemField(error.code)
  if (isFieldName(field)) inline[field] = strings.errors[error.code]
  return inline
}

/** What the user did with the form; the invitation itself lives in `useInvitation`. */
export interface ShareFormState {
  values: ShareFormValues
  /** The browser's checks, from the last submit and re-run as a flagged field is edited. */
  clientErrors: FieldErrors
  /** The last failure's field errors, each cleared when its field is edited. */
  serverErrors: FieldErrors
  /** Whether the validation summary stands in the alert. */
  showSummary: boolean
  copyState: 'idle' | 'copied' | 'failed'
}

/** What can happen to the form. */
export type ShareFormAction =
  /** `validate` re-checks the edited field when the last submit flagged it, so its message goes once it is fixed. */
  | { type: 'changed'; name: FieldName; value: string; validate: (values: ShareFormValues) => FieldErrors }
  | { type: 'submitted'; errors: FieldErrors }
  | { type: 'failed'; serverErrors: FieldErrors }
  | { type: 'configLoaded'; defaultPresetId: ClientConfig['defaultPresetId'] }
  | { type: 'copied'; copied: boolean }
  | { type: 'shareAnother' }

/** The form as first rendered: `defaultValues` over empty fields. */
export function initialShareForm(defaultValues: Partial<ShareFormValues> | undefined): ShareFormState {
  return {
    values: {
      email: '',
      displayName: '',
      presetId: '',
      accessDays: '',
      reason: '',
      message: '',
      ...defaultValues,
    },
    clientErrors: {},
    serverErrors: {},
    showSummary: false,
    copyState: 'idle',
  }
}

/** The view state of `useShareWithExternalUser`, one transition per action. */
export function shareFormReducer(state: ShareFormState, action: ShareFormAction): ShareFormState {
  const { values, clientErrors } = state
  switch (action.type) {
    case 'changed': {
      const { name } = action
      const next = { ...values, [name]: action.value }
      return {
        ...state,
        values: next,
        clientErrors: clientErrors[name]
          ? { ...clientErrors, [name]: action.validate(next)[name] }
          : clientErrors,
        serverErrors: { ...state.serverErrors, [name]: undefined },
      }
    }
    case 'submitted':
      return {
        ...state,
        clientErrors: action.errors,
        serverErrors: {},
        showSummary: fieldNames.some((name) => action.errors[name]),
      }
    case 'failed':
      return { ...state, serverErrors: action.serverErrors }
    case 'configLoaded':
      // The BFF's default preset, unless one was given.
      return action.defaultPresetId && !values.presetId
        ? { ...state, values: { ...values, presetId: action.defaultPresetId } }
        : state
    case 'copied':
      return { ...state, copyState: action.copied ? 'copied' : 'failed' }
    case 'shareAnother':
      return {
        ...state,
        copyState: 'idle',
        values: { ...values, email: '', displayName: '', accessDays: '', reason: '', message: '' },
      }
  }
}
