import type { ShareError, ShareErrorCode } from '@entra-share/client'
import {
  type ClientConfig,
  type CreatedInvitation,
  constraints,
  type GroupPresetSummary,
  type PendingInvitation,
} from '@entra-share/contracts'
import {
  type ChangeEvent,
  type FormEvent,
  type InputHTMLAttributes,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useReducer,
  useRef,
} from 'react'
import { readAccessDays } from '../access-days.js'
import { formatDate, formatNumber, formatOrList, formatPlural, formatString } from '../format.js'
import { useLocale } from '../locales/EntraShareLocaleProvider.js'
import { copyText } from './copy-text.js'
import type {
  ShareFieldElement,
  ShareFieldProps,
  ShareWithExternalUserProps,
  ShareWithExternalUserState,
} from './ShareWithExternalUser.types.js'
import {
  type FieldName,
  fieldNames,
  initialShareForm,
  reasonRuleOf,
  type ShareFormState,
  serverFieldErrors,
  shareFormReducer,
  validate,
} from './share-form.js'
import { mergeShareStrings, type ShareStrings } from './strings.js'
import { useClientConfig } from './useClientConfig.js'
import { useInvitation } from './useInvitation.js'

/**
 * The state and ARIA prop bags of `<ShareWithExternalUser>`: field values and errors, focus, and the view of the
 * data hooks it drives — `useClientConfig` (presets, message policy) and `useInvitation` (the request and the
 * throttling countdown). Pair it with `renderShareWithExternalUser` for your own styling.
 *
 * @example
 * function MyShare(props: ShareWithExternalUserProps) {
 *   return renderShareWithExternalUser(useShareWithExternalUser(props))
 * }
 */
export function useShareWithExternalUser(props: ShareWithExternalUserProps): ShareWithExternalUserState {
  const [form, dispatch] = useReducer(shareFormReducer, props.defaultValues, initialShareForm)
  const config = useClientConfig({
    ...props,
    onLoaded: (loaded) => dispatch({ type: 'configLoaded', defaultPresetId: loaded.defaultPresetId }),
  })
  const { status, result, pending, error, invite, reset, retryInSeconds } = useInvitation(props)
  const { pack, formatLocale, lang, dir } = useLocale(props.locale)
  const strings = useMemo(() => mergeShareStrings(props.strings, pack?.share), [props.strings, pack])
  const idPrefix = useId()
  const { values, clientErrors, serverErrors } = form
  const alertRef = useRef<HTMLDivElement>(null)
  const successHeadingRef = useRef<HTMLHeadingElement>(null)
  // The latest strings, for the effect that must run once per failure, not once per render.
  const stringsRef = useRef(strings)
  stringsRef.current = strings

  // A new failure: its field errors go inline and focus goes to the summary.
  useEffect(() => {
    if (!error) return
    dispatch({ type: 'failed', serverErrors: serverFieldErrors(error, stringsRef.current) })
    alertRef.current?.focus()
  }, [error])

  useEffect(() => {
    if (status === 'success' || status === 'pending_approval') successHeadingRef.current?.focus()
  }, [status])

  const messageEnabled = config !== null && config.emailMode !== 'none'
  const messageMaxLength = config?.limits.messageMaxLength ?? constraints.messageMaxLength
  const waiting = status === 'submitting' || retryInSeconds > 0
  const presetsOffered = config !== null && config.presets.length > 0
  const preset = presetsOffered ? config.presets.find((each) => each.id === values.presetId) : undefined
  const reasonRule = reasonRuleOf(preset)
  // The most days a request may ask for with the chosen preset; none: the preset does not expire (no field).
  const accessDaysMax = preset?.accessDays

  const onChange = useCallback(
    ({ target }: ChangeEvent<ShareFieldElement>) =>
      dispatch({
        type: 'changed',
        name: target.name as FieldName,
        value: target.value,
        validate: (next) =>
          validate(next, strings, messageMaxLength, formatLocale, reasonRule, accessDaysMax),
      }),
    [strings, messageMaxLength, formatLocale, reasonRule, accessDaysMax],
  )

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (waiting) return
    // A number field the browser cannot read ("1e") reports an empty value: refuse it rather than send the default.
    const days = event.currentTarget.elements.namedItem('accessDays') as HTMLInputElement | null
    const checked = days?.validity?.badInput ? { ...values, accessDays: '?' } : values
    const errors = validate(checked, strings, messageMaxLength, formatLocale, reasonRule, accessDaysMax)
    dispatch({ type: 'submitted', errors })
    const firstInvalid = fieldNames.find((name) => errors[name])
    if (firstInvalid) {
      document.getElementById(`${idPrefix}-${firstInvalid}`)?.focus()
      return
    }
    const displayName = values.displayName.trim()
    const reason = reasonRule === 'none' ? '' : values.reason.trim()
    const accessDays = accessDaysMax ? readAccessDays(values.accessDays, accessDaysMax) : undefined
    await invite({
      email: values.email.trim(),
      ...(displayName ? { displayName } : {}),
      ...(presetsOffered && values.presetId ? { presetId: values.presetId } : {}),
      ...(accessDays ? { accessDays } : {}),
      ...(reason ? { reason } : {}),
      ...(messageEnabled && values.message.trim() ? { message: values.message } : {}),
      ...(props.redirectUrl ? { redirectUrl: props.redirectUrl } : {}),
    })
  }

  // One field's prop bags (React Aria style): the input is described by its hint and error when shown.
  function field<E extends ShareFieldElement = HTMLInputElement>(
    name: FieldName,
    hint?: string,
    extraInputProps?: Pick<
      InputHTMLAttributes<E>,
      'type' | 'autoComplete' | 'inputMode' | 'spellCheck' | 'aria-required' | 'maxLength' | 'min' | 'max'
    >,
  ): ShareFieldProps<E> {
    const errorMessage = clientErrors[name] ?? serverErrors[name]
    const inputId = `${idPrefix}-${name}`
    const hintId = `${inputId}-hint`
    const errorId = `${inputId}-error`
    const describedBy = [hint ? hintId : '', errorMessage ? errorId : ''].filter(Boolean).join(' ')
    return {
      labelProps: { htmlFor: inputId, id: `${inputId}-label` },
      inputProps: {
        id: inputId,
        name,
        value: values[name],
        onChange,
        'aria-invalid': errorMessage ? true : undefined,
        'aria-describedby': describedBy || undefined,
        ...extraInputProps,
      },
      hintProps: { id: hintId },
      errorMessageProps: { id: errorId },
      errorMessage,
    }
  }

  const messageHint = linkPolicyHint(strings, config)
  const onShareAnother = () => {
    dispatch({ type: 'shareAnother' })
    reset()
  }
  const alert =
    status === 'error' && error
      ? alertState(strings, error)
      : form.showSummary
        ? { code: 'validation', message: strings.validationSummary }
        : null
  const success = result
    ? successState(strings, result, config, form.copyState, {
        onCopy: () => {
          copyText(result.inviteRedeemUrl).then((copied) => dispatch({ type: 'copied', copied }))
        },
        onShareAnother,
      })
    : null
  const waitingView = pending ? pendingState(strings, pending, formatLocale, onShareAnother) : null
  const presetHint = presetsOffered ? presetHintOf(strings, preset, formatLocale) : undefined
  const accessDaysHint = accessDaysMax
    ? formatPlural(strings.accessDaysHint, accessDaysMax, formatLocale, {
        days: formatNumber(accessDaysMax, formatLocale),
      })
    : ''

  return {
    status,
    strings,
    className: props.className,
    lang,
    dir,
    headingLevel: props.headingLevel ?? 2,
    labelledBy: props.labelledBy,
    rootRef: props.ref,
    config,
    ids: { title: `${idPrefix}-title`, alert: `${idPrefix}-alert`, success: `${idPrefix}-success` },
    formProps: { onSubmit, noValidate: true, 'aria-labelledby': props.labelledBy ?? `${idPrefix}-title` },
    emailField: field('email', strings.emailHint, {
      type: 'email',
      autoComplete: 'email',
      inputMode: 'email',
      spellCheck: false,
      'aria-required': true,
    }),
    displayNameField: field('displayName', strings.displayNameHint, { type: 'text', autoComplete: 'off' }),
    presetField: presetsOffered
      ? {
          ...field<HTMLSelectElement>('presetId', presetHint),
          hint: presetHint,
          options: [
            { value: '', label: strings.presetNone },
            ...config.presets.map((preset) => ({ value: preset.id, label: preset.label })),
          ],
        }
      : null,
    accessDaysField: accessDaysMax
      ? {
          ...field('accessDays', accessDaysHint, { type: 'number', min: 1, max: accessDaysMax }),
          hint: accessDaysHint,
        }
      : null,
    reasonField:
      reasonRule === 'none'
        ? null
        : {
            ...field<HTMLTextAreaElement>('reason', strings.reasonHint, {
              'aria-required': reasonRule === 'required' || undefined,
            }),
            required: reasonRule === 'required',
          },
    messageField: messageEnabled
      ? { ...field<HTMLTextAreaElement>('message', messageHint), hint: messageHint }
      : null,
    alert,
    alertRef,
    successHeadingRef,
    retryInSeconds,
    submit: {
      label:
        status === 'submitting'
          ? strings.submitting
          : retryInSeconds > 0
            ? formatPlural(strings.waiting, retryInSeconds, formatLocale, {
                seconds: formatNumber(retryInSeconds, formatLocale),
              })
            : error?.retryable
              ? strings.retry
              : strings.submit,
      disabled: waiting,
      busy: status === 'submitting',
    },
    announcement: success
      ? form.copyState === 'idle'
        ? `${success.title}. ${success.emailSentence}${stepsToDo(strings, success.steps, formatLocale)}`
        : success.copyLabel
      : waitingView
        ? `${waitingView.title}. ${waitingView.text}`
        : (alert?.message ?? ''),
    success,
    pending: waitingView,
  }
}

/** What the chosen preset asks for, said under the Access field: an approval, an access term. */
function presetHintOf(
  strings: ShareStrings,
  preset: GroupPresetSummary | undefined,
  locale: string,
): string | undefined {
  const parts = [
    preset?.approvalRequired ? strings.presetNeedsApproval : '',
    preset?.accessDays
      ? formatPlural(strings.presetAccessDays, preset.accessDays, locale, {
          days: formatNumber(preset.accessDays, locale),
        })
      : '',
  ].filter(Boolean)
  return parts.length ? parts.join(' ') : undefined
}

/** The waiting view: who decides (the policy's label, or its roles and groups), by when, and the reason given. */
function pendingState(
  strings: ShareStrings,
  request: PendingInvitation,
  locale: string,
  onShareAnother: () => void,
): NonNullable<ShareWithExternalUserState['pending']> {
  return {
    title: strings.pendingTitle,
    text: formatString(strings.pendingText, { email: request.invitedUserEmailAddress }),
    // The policy's own words for its approvers when it has them; else its roles and group ids as they are.
    approvers: request.approval?.approversLabel || formatOrList(request.approval?.approvers ?? [], locale),
    deadline: request.approval ? formatDate(request.approval.expiresAt, locale) : '',
    reason: request.approval?.reason ?? null,
    onShareAnother,
  }
}

/** The BFF's link policy, said before sending (the BFF finds the links; the form does not guess). */
function linkPolicyHint(strings: ShareStrings, config: ClientConfig | null): string | undefined {
  const messageLinks = config?.limits.messageLinks
  if (messageLinks === 'none') return strings.messageHintNoLinks
  if (messageLinks === 'allowlist')
    return formatString(strings.messageHintAllowedLinks, {
      origins: config?.allowedRedirectOrigins.join(', ') ?? '',
    })
  return undefined
}

function alertState(
  strings: ShareStrings,
  error: ShareError,
): NonNullable<ShareWithExternalUserState['alert']> {
  return {
    code: error.code,
    message:
      error.code === 'upstream_error' && error.detail
        ? `${strings.errors.upstream_error} ${error.detail}`
        : strings.errors[error.code],
    ...(error.requestId
      ? { requestId: formatString(strings.requestId, { requestId: error.requestId }) }
      : {}),
    ...(error.adminConsentUrl ? { adminConsentUrl: error.adminConsentUrl } : {}),
  }
}

function successState(
  strings: ShareStrings,
  result: CreatedInvitation,
  config: ClientConfig | null,
  copyState: ShareFormState['copyState'],
  handlers: Pick<NonNullable<ShareWithExternalUserState['success']>, 'onCopy' | 'onShareAnother'>,
): NonNullable<ShareWithExternalUserState['success']> {
  const emailed = result.emailSentByMicrosoft || result.emailSentByBff
  return {
    title: emailed ? strings.successTitleEmailed : strings.successTitleLink,
    emailSentence: formatString(
      result.emailSentByMicrosoft
        ? strings.successEmailedByMicrosoft
        : result.emailSentByBff
          ? strings.successEmailedByApp
          : strings.successSendLink,
      { email: result.invitedUserEmailAddress },
    ),
    partial: result.status === 'partial',
    steps: followUpSteps(strings, result, config),
    redeemUrl: result.inviteRedeemUrl,
    objectId: result.invitedUserId,
    copyLabel:
      copyState === 'copied' ? strings.copied : copyState === 'failed' ? strings.copyFailed : strings.copy,
    ...handlers,
  }
}

type SuccessStep = NonNullable<ShareWithExternalUserState['success']>['steps'][number]

/** For the live region: how many follow-up steps are not done yet, or nothing when all are. */
function stepsToDo(strings: ShareStrings, steps: SuccessStep[], locale: string): string {
  const count = steps.filter((step) => step.status !== 'succeeded').length
  return count
    ? ` ${formatPlural(strings.successStepsToDo, count, locale, { count: formatNumber(count, locale) })}`
    : ''
}

/**
 * The follow-up steps in words, one line per kind of step (the groups of a preset are one line): the worst status of
 * that kind wins, so a line never says done while part of it is not, and its reason is that step's `code` sentence.
 */
function followUpSteps(
  strings: ShareStrings,
  result: CreatedInvitation,
  config: ClientConfig | null,
): SuccessStep[] {
  const preset = config?.presets.find((each) => each.id === result.presetId)?.label ?? strings.stepAnyGroup
  const lines = new Map<string, SuccessStep>()
  for (const { name, status, code } of result.steps) {
    // Worst first is alphabetical: 'failed' < 'pending' < 'succeeded'.
    if (name === 'invite' || status >= (lines.get(name)?.status ?? '~')) continue
    const done = status === 'succeeded'
    const what = formatString(strings[`${name}${done ? 'Done' : 'ToDo'}`], { preset })
    const reason =
      code && Object.hasOwn(strings.errors, code)
        ? strings.errors[code as ShareErrorCode]
        : status === 'failed'
          ? strings.stepFailed
          : strings.stepRetried
    lines.set(name, {
      name,
      status,
      text: done ? what : formatString(strings.stepToDo, { step: what, reason }),
    })
  }
  return [...lines.values()]
}
