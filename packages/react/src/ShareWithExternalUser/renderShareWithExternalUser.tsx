import type { ReactElement, ReactNode } from 'react'
import { shareWithExternalUserClassNames as classNames } from './ShareWithExternalUser.classNames.js'
import type {
  ShareFieldElement,
  ShareFieldProps,
  ShareWithExternalUserState,
} from './ShareWithExternalUser.types.js'

function Field({
  field,
  label,
  hint,
  children,
}: {
  field: ShareFieldProps<ShareFieldElement>
  label: string
  hint?: string
  children: ReactNode
}) {
  return (
    <div className={classNames.field} data-invalid={field.errorMessage ? '' : undefined}>
      <label className={classNames.label} {...field.labelProps} htmlFor={field.inputProps.id}>
        {label}
      </label>
      {hint && (
        <p className={classNames.hint} {...field.hintProps}>
          {hint}
        </p>
      )}
      {children}
      {field.errorMessage && (
        <p className={classNames.fieldError} {...field.errorMessageProps}>
          {field.errorMessage}
        </p>
      )}
    </div>
  )
}

/**
 * The markup of `<ShareWithExternalUser>`, a pure function of its state: fixed `es-Share*` class names and
 * `data-*` state attributes, no styles of its own.
 *
 * @example
 * function MyShare(props: ShareWithExternalUserProps) {
 *   return renderShareWithExternalUser(useShareWithExternalUser(props))
 * }
 */
export function renderShareWithExternalUser(state: ShareWithExternalUserState): ReactElement {
  const {
    strings,
    success,
    pending,
    alert,
    emailField,
    displayNameField,
    presetField,
    accessDaysField,
    reasonField,
    messageField,
  } = state
  const Heading = `h${state.headingLevel}` as 'h2'
  const rootClass = state.className ? `${classNames.root} ${state.className}` : classNames.root

  return (
    <div
      className={rootClass}
      lang={state.lang}
      dir={state.dir}
      data-status={state.status}
      ref={state.rootRef}
    >
      <div className={classNames.live} role="status" aria-live="polite" aria-atomic="true">
        {state.announcement}
      </div>
      {pending ? (
        <section className={classNames.pending} aria-labelledby={state.ids.success}>
          <Heading
            className={classNames.title}
            id={state.ids.success}
            ref={state.successHeadingRef}
            tabIndex={-1}
          >
            {pending.title}
          </Heading>
          <p className={classNames.text}>{pending.text}</p>
          <dl className={classNames.details}>
            <dt>{strings.pendingApproversLabel}</dt>
            <dd>{pending.approvers}</dd>
            <dt>{strings.pendingDeadlineLabel}</dt>
            <dd>{pending.deadline}</dd>
            {pending.reason && (
              <>
                <dt>{strings.pendingReasonLabel}</dt>
                <dd>{pending.reason}</dd>
              </>
            )}
          </dl>
          <p className={classNames.hint}>{strings.pendingDeadlineNote}</p>
          <div className={classNames.actions}>
            <button type="button" className={classNames.button} onClick={pending.onShareAnother}>
              {strings.shareAnother}
            </button>
          </div>
        </section>
      ) : success ? (
        <section className={classNames.success} aria-labelledby={state.ids.success}>
          <Heading
            className={classNames.title}
            id={state.ids.success}
            ref={state.successHeadingRef}
            tabIndex={-1}
          >
            {success.title}
          </Heading>
          <p className={classNames.text}>{success.emailSentence}</p>
          {success.partial && <p className={classNames.text}>{strings.successPartial}</p>}
          {success.steps.length > 0 && (
            <ul className={classNames.steps}>
              {success.steps.map((step) => (
                <li key={step.name} data-status={step.status}>
                  {step.text}
                </li>
              ))}
            </ul>
          )}
          <dl className={classNames.details}>
            <dt>{strings.redeemUrlLabel}</dt>
            <dd>
              <code className={classNames.url}>{success.redeemUrl}</code>
              <button type="button" className={classNames.button} onClick={success.onCopy}>
                {success.copyLabel}
              </button>
            </dd>
            <dt>{strings.objectIdLabel}</dt>
            <dd>
              <code>{success.objectId}</code>
            </dd>
          </dl>
          <div className={classNames.actions}>
            <button type="button" className={classNames.button} onClick={success.onShareAnother}>
              {strings.shareAnother}
            </button>
          </div>
        </section>
      ) : (
        <form className={classNames.form} {...state.formProps}>
          {!state.labelledBy && (
            <Heading className={classNames.title} id={state.ids.title}>
              {strings.title}
            </Heading>
          )}
          <p className={classNames.text}>{strings.intro}</p>
          {alert && (
            <div
              className={classNames.alert}
              id={state.ids.alert}
              ref={state.alertRef}
              tabIndex={-1}
              data-code={alert.code}
            >
              <p className={classNames.alertTitle}>{strings.errorTitle}</p>
              <p>{alert.message}</p>
              {alert.adminConsentUrl && (
                <p>
                  <a href={alert.adminConsentUrl} target="_blank" rel="noreferrer">
                    {strings.consentLink}
                  </a>
                </p>
              )}
              {alert.requestId && <p className={classNames.hint}>{alert.requestId}</p>}
            </div>
          )}
          <Field field={emailField} label={strings.emailLabel} hint={strings.emailHint}>
            <input className={classNames.input} {...emailField.inputProps} />
          </Field>
          <Field field={displayNameField} label={strings.displayNameLabel} hint={strings.displayNameHint}>
            <input className={classNames.input} {...displayNameField.inputProps} />
          </Field>
          {presetField && (
            <Field field={presetField} label={strings.presetLabel} hint={presetField.hint}>
              <select className={classNames.input} {...presetField.inputProps}>
                {presetField.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {accessDaysField && (
            <Field field={accessDaysField} label={strings.accessDaysLabel} hint={accessDaysField.hint}>
              <input className={classNames.input} {...accessDaysField.inputProps} />
            </Field>
          )}
          {reasonField && (
            <Field field={reasonField} label={strings.reasonLabel} hint={strings.reasonHint}>
              <textarea className={classNames.input} rows={2} {...reasonField.inputProps} />
            </Field>
          )}
          {messageField && (
            <Field field={messageField} label={strings.messageLabel} hint={messageField.hint}>
              <textarea className={classNames.input} rows={3} {...messageField.inputProps} />
            </Field>
          )}
          <div className={classNames.actions}>
            <button
              type="submit"
              className={classNames.submit}
              disabled={state.submit.disabled}
              aria-busy={state.submit.busy || undefined}
              data-busy={state.submit.busy ? '' : undefined}
              data-waiting={state.retryInSeconds > 0 ? '' : undefined}
            >
              {state.submit.label}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
