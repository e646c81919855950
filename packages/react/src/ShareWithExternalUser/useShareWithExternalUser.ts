import { type ClientConfig, constraints, isValidEmail, problemField } from '@entra-share/contracts'
import {
  type ChangeEvent,
  type FormEvent,
  type InputHTMLAttributes,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react'
import { formatString } from '../format.js'
import { useAccessToken } from '../useAccessToken.js'
import { useBffClient, useInvitation } from '../useInviteExternalUser.js'
import { copyText } from './copy-text.js'
import type {
  ShareFieldElement,
  ShareFieldProps,
  ShareFormValues,
  ShareWithExternalUserProps,
  ShareWithExternalUserState,
} from './ShareWithExternalUser.types.js'
import { mergeShareStrings, type ShareStrings } from './strings.js'

type FieldName = keyof ShareFormValues
type FieldErrors = Partial<Record<FieldName, string>>

const fieldNames: readonly FieldName[] = ['email', 'displayName', 'presetId', 'message']

const isFieldName = (name: string | undefined): name is FieldName =>
  (fieldNames as readonly (string | undefined)[]).includes(name)

/** The server's rules, checked with the same constants (no validator runtime in the browser). */
function validate(values: ShareFormValues, strings: ShareStrings, messageMaxLength: number): FieldErrors {
  const errors: FieldErrors = {}
  const email = values.email.trim()
  const tooLong = (max: number) => formatString(strings.tooLong, { max })
  if (email === '') errors.email = strings.emailRequired
  else if (email.length > constraints.emailMaxLength) errors.email = tooLong(constraints.emailMaxLength)
  else if (!isValidEmail(email)) errors.email = strings.emailInvalid
  if (values.displayName.trim().length > constraints.displayNameMaxLength)
    errors.displayName = tooLong(constraints.displayNameMaxLength)
  if (values.message.length > messageMaxLength) errors.message = tooLong(messageMaxLength)
  return errors
}

/**
 * The state and ARIA prop bags of `<ShareWithExternalUser>`: field values and errors, the BFF's configuration, the
 * invitation's lifecycle, focus management and the throttling countdown. Pair it with
 * `renderShareWithExternalUser` for your own styling.
 *
 * @example
 * function MyShare(props: ShareWithExternalUserProps) {
 *   return renderShareWithExternalUser(useShareWithExternalUser(props))
 * }
 */
export function useShareWithExternalUser(props: ShareWithExternalUserProps): ShareWithExternalUserState {
  const client = useBffClient(props)
  const acquireToken = useAccessToken(props.scopes)
  const { status, result, error, invite, reset } = useInvitation(client, acquireToken)
  const strings = useMemo(() => mergeShareStrings(props.strings), [props.strings])
  const baseId = useId()
  const id = (part: string) => `${baseId}-${part}`

  const [values, setValues] = useState<ShareFormValues>(() => ({
    email: '',
    displayName: '',
    presetId: '',
    message: '',
    ...props.defaultValues,
  }))
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [showSummary, setShowSummary] = useState(false)
  const [config, setConfig] = useState<ClientConfig | null>(null)
  const [retryInSeconds, setRetryInSeconds] = useState(0)
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const alertRef = useRef<HTMLDivElement>(null)
  const successHeadingRef = useRef<HTMLHeadingElement>(null)
  // Latest props and strings for effects that must run once per failure, not once per render.
  const callbacks = useRef(props)
  callbacks.current = props
  const stringsRef = useRef(strings)
  stringsRef.current = strings

  // The configuration only adds options (presets, message): fetch it silently and never interrupt the user for it.
  useEffect(() => {
    let current = true
    acquireToken({ interactive: false })
      .then((token) => (token === null ? null : client.getConfig({ accessToken: token })))
      .then((loaded) => {
        if (!current || !loaded) return
        setConfig(loaded)
        if (loaded.defaultPresetId)
          setValues((old) => (old.presetId ? old : { ...old, presetId: loaded.defaultPresetId ?? '' }))
      })
      .catch(() => undefined)
    return () => {
      current = false
    }
  }, [client, acquireToken])

  // A new failure: its field errors go inline, the countdown starts, focus goes to the summary.
  useEffect(() => {
    if (!error) return
    const inline: FieldErrors = {}
    // The server's field errors, and a problem the catalogue says is about one field: shown on it and in the summary.
    for (const { field, message } of error.fieldErrors) if (isFieldName(field)) inline[field] = message
    const field = problemField(error.code)
    if (isFieldName(field)) inline[field] = stringsRef.current.errors[error.code]
    setServerErrors(inline)
    setRetryInSeconds(error.retryAfterSeconds ?? 0)
    callbacks.current.onError?.(error)
    alertRef.current?.focus()
  }, [error])

  useEffect(() => {
    if (retryInSeconds <= 0) return
    const timer = setTimeout(() => setRetryInSeconds((seconds) => seconds - 1), 1000)
    return () => clearTimeout(timer)
  }, [retryInSeconds])

  useEffect(() => {
    if (status === 'success') successHeadingRef.current?.focus()
  }, [status])

  const messageEnabled = config !== null && config.emailMode !== 'none'
  const messageMaxLength = config?.limits.messageMaxLength ?? constraints.messageMaxLength
  // The BFF's link policy, said before sending (the BFF finds the links; the form does not guess).
  const messageLinks = config?.limits.messageLinks
  const messageHint =
    messageLinks === 'none'
      ? strings.messageHintNoLinks
      : messageLinks === 'allowlist'
        ? formatString(strings.messageHintAllowedLinks, {
            origins: config?.allowedRedirectOrigins.join(', ') ?? '',
          })
        : undefined
  const presetsOffered = config !== null && config.presets.length > 0

  const onChange = useCallback(
    (event: ChangeEvent<ShareFieldElement>) => {
      const name = event.target.name as FieldName
      const next = { ...values, [name]: event.target.value }
      setValues(next)
      setServerErrors((old) => (old[name] ? { ...old, [name]: undefined } : old))
      // Once a field was flagged, re-check it as the user types so the message goes away when fixed.
      if (clientErrors[name])
        setClientErrors((old) => ({ ...old, [name]: validate(next, strings, messageMaxLength)[name] }))
    },
    [values, clientErrors, strings, messageMaxLength],
  )

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (status === 'submitting' || retryInSeconds > 0) return
    const errors = validate(values, strings, messageMaxLength)
    setClientErrors(errors)
    setServerErrors({})
    const firstInvalid = fieldNames.find((name) => errors[name])
    setShowSummary(firstInvalid !== undefined)
    if (firstInvalid) {
      document.getElementById(id(firstInvalid))?.focus()
      return
    }
    const displayName = values.displayName.trim()
    const invitation = await invite({
      email: values.email.trim(),
      ...(displayName ? { displayName } : {}),
      ...(presetsOffered && values.presetId ? { presetId: values.presetId } : {}),
      ...(messageEnabled && values.message.trim() ? { message: values.message } : {}),
      ...(props.redirectUrl ? { redirectUrl: props.redirectUrl } : {}),
    })
    if (invitation) callbacks.current.onInvited?.(invitation)
  }

  function field<E extends ShareFieldElement = HTMLInputElement>(
    name: FieldName,
    hint?: string,
    extraInputProps?: Pick<
      InputHTMLAttributes<E>,
      'type' | 'autoComplete' | 'inputMode' | 'spellCheck' | 'aria-required'
    >,
  ): ShareFieldProps<E> {
    const errorMessage = clientErrors[name] ?? serverErrors[name]
    const hintId = id(`${name}-hint`)
    const errorId = id(`${name}-error`)
    const describedBy = [hint ? hintId : '', errorMessage ? errorId : ''].filter(Boolean).join(' ')
    return {
      labelProps: { htmlFor: id(name), id: id(`${name}-label`) },
      inputProps: {
        id: id(name),
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

  const emailField = field('email', strings.emailHint, {
    type: 'email',
    autoComplete: 'email',
    inputMode: 'email',
    spellCheck: false,
    'aria-required': true,
  })
  const displayNameField = field('displayName', strings.displayNameHint, {
    type: 'text',
    autoComplete: 'off',
  })

  const alert =
    status === 'error' && error
      ? {
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
      : showSummary
        ? { code: 'validation', message: strings.validationSummary }
        : null

  const emailed = result ? result.emailSentByMicrosoft || result.emailSentByBff : false
  const success = result
    ? {
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
        redeemUrl: result.inviteRedeemUrl,
        objectId: result.invitedUserId,
        copyLabel:
          copyState === 'copied'
            ? strings.copied
            : copyState === 'failed'
              ? strings.copyFailed
              : strings.copy,
        onCopy: () => {
          copyText(result.inviteRedeemUrl).then((copied) => setCopyState(copied ? 'copied' : 'failed'))
        },
        onShareAnother: () => {
          setCopyState('idle')
          setValues((old) => ({ ...old, email: '', displayName: '', message: '' }))
          reset()
        },
      }
    : null

  return {
    status,
    strings,
    className: props.className,
    headingLevel: props.headingLevel ?? 2,
    labelledBy: props.labelledBy,
    rootRef: props.ref,
    config,
    ids: { title: id('title'), alert: id('alert'), success: id('success') },
    formProps: { onSubmit, noValidate: true, 'aria-labelledby': props.labelledBy ?? id('title') },
    emailField,
    displayNameField,
    presetField: presetsOffered
      ? {
          ...field<HTMLSelectElement>('presetId'),
          options: [
            { value: '', label: strings.presetNone },
            ...(config?.presets ?? []).map((preset) => ({ value: preset.id, label: preset.label })),
          ],
        }
      : null,
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
            ? formatString(strings.waiting, { seconds: retryInSeconds })
            : error?.retryable
              ? strings.retry
              : strings.submit,
      disabled: status === 'submitting' || retryInSeconds > 0,
      busy: status === 'submitting',
    },
    announcement: success
      ? copyState === 'idle'
        ? `${success.title}. ${success.emailSentence}`
        : success.copyLabel
      : (alert?.message ?? ''),
    success,
  }
}
