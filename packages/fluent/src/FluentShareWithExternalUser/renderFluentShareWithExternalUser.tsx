import type { ShareFieldProps } from '@entra-share/react'
import {
  Button,
  Dropdown,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Text,
  Textarea,
} from '@fluentui/react-components'
import type { ChangeEvent, ReactElement } from 'react'
import type { FluentShareWithExternalUserState } from './FluentShareWithExternalUser.types.js'

type AnyFieldProps = ShareFieldProps<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>

/**
 * The Fluent `Field` slots of one field from the hook's prop bags: the label, hint and error keep the hook's ids,
 * so the control (given the same id) is labelled and described by them through the Field's context.
 */
function fieldSlots(field: AnyFieldProps, label: string, hint: string | undefined, className: string) {
  return {
    className,
    label: { ...field.labelProps, children: label },
    hint: hint ? { ...field.hintProps, children: hint } : undefined,
    validationState: field.errorMessage ? ('error' as const) : ('none' as const),
    // No role="alert" per field (Fluent's default): the error summary takes focus and the live region speaks, as in
    // @entra-share/react, so a screen reader hears each failure once.
    validationMessage: field.errorMessage
      ? { ...field.errorMessageProps, role: undefined, children: field.errorMessage }
      : undefined,
  }
}

/**
 * The control's own props from the hook's bag. Not `aria-describedby`: Field's context adds it (error and hint, by
 * the ids above) and `aria-labelledby`, so a description given here too would be read twice.
 */
function controlProps<E extends HTMLInputElement | HTMLTextAreaElement>({ inputProps }: ShareFieldProps<E>) {
  return {
    id: inputProps.id,
    name: inputProps.name,
    value: inputProps.value,
    onChange: inputProps.onChange,
    'aria-invalid': inputProps['aria-invalid'],
    'aria-required': inputProps['aria-required'],
    autoComplete: inputProps.autoComplete,
    inputMode: inputProps.inputMode,
    spellCheck: inputProps.spellCheck,
  }
}

/**
 * The markup of `<FluentShareWithExternalUser>`, a pure function of its state, in Fluent UI v9 components: `Field`
 * with `Input` (a number `Input` for the days of access), `Dropdown` and `Textarea`, a `MessageBar` for the error summary, `Button` and `Spinner`. The same
 * structure, ids, ARIA and `data-*` state attributes as `renderShareWithExternalUser` of `@entra-share/react`.
 *
 * @example
 * function MyFluentShare(props: FluentShareWithExternalUserProps) {
 *   const state = useFluentShareWithExternalUser(props)
 *   useFluentShareWithExternalUserStyles(state)
 *   return renderFluentShareWithExternalUser(state)
 * }
 */
export function renderFluentShareWithExternalUser(state: FluentShareWithExternalUserState): ReactElement {
  const { strings, success, pending, alert, classes, emailField, displayNameField } = state
  const { presetField, accessDaysField, reasonField, messageField } = state
  const heading = `h${state.headingLevel}` as const

  return (
    <div
      className={classes.root}
      lang={state.lang}
      dir={state.dir}
      data-status={state.status}
      ref={state.rootRef}
    >
      <div className={classes.live} role="status" aria-live="polite" aria-atomic="true">
        {state.announcement}
      </div>
      {pending ? (
        <section className={classes.pending} aria-labelledby={state.ids.success}>
          <Text
            as={heading}
            className={classes.title}
            id={state.ids.success}
            ref={state.successHeadingRef}
            tabIndex={-1}
          >
            {pending.title}
          </Text>
          <Text as="p" className={classes.text}>
            {pending.text}
          </Text>
          <dl className={classes.details}>
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
          <Text as="p" className={classes.note}>
            {strings.pendingDeadlineNote}
          </Text>
          <div className={classes.actions}>
            <Button onClick={pending.onShareAnother}>{strings.shareAnother}</Button>
          </div>
        </section>
      ) : success ? (
        <section className={classes.success} aria-labelledby={state.ids.success}>
          <Text
            as={heading}
            className={classes.title}
            id={state.ids.success}
            ref={state.successHeadingRef}
            tabIndex={-1}
          >
            {success.title}
          </Text>
          <Text as="p" className={classes.text}>
            {success.emailSentence}
          </Text>
          {success.partial && (
            <Text as="p" className={classes.text}>
              {strings.successPartial}
            </Text>
          )}
          {success.steps.length > 0 && (
            <ul className={classes.steps}>
              {success.steps.map((step) => (
                <li key={step.name} className={classes.step} data-status={step.status}>
                  <span className={classes.stepMark} aria-hidden="true">
                    {step.status === 'succeeded' ? '✓' : '○'}
                  </span>
                  <span>{step.text}</span>
                </li>
              ))}
            </ul>
          )}
          <dl className={classes.details}>
            <dt>{strings.redeemUrlLabel}</dt>
            <dd>
              <code className={classes.url}>{success.redeemUrl}</code>
              <Button size="small" onClick={success.onCopy}>
                {success.copyLabel}
              </Button>
            </dd>
            <dt>{strings.objectIdLabel}</dt>
            <dd>
              <code>{success.objectId}</code>
            </dd>
          </dl>
          <div className={classes.actions}>
            <Button onClick={success.onShareAnother}>{strings.shareAnother}</Button>
          </div>
        </section>
      ) : (
        <form className={classes.form} {...state.formProps}>
          {!state.labelledBy && (
            <Text as={heading} className={classes.title} id={state.ids.title}>
              {strings.title}
            </Text>
          )}
          <Text as="p" className={classes.text}>
            {strings.intro}
          </Text>
          {alert && (
            <MessageBar
              intent="error"
              layout="multiline"
              className={classes.alert}
              id={state.ids.alert}
              ref={state.alertRef}
              tabIndex={-1}
              data-code={alert.code}
            >
              <MessageBarBody>
                <MessageBarTitle>{strings.errorTitle}</MessageBarTitle> {alert.message}
                {alert.adminConsentUrl && (
                  <>
                    {' '}
                    <Link href={alert.adminConsentUrl} target="_blank" rel="noreferrer" inline>
                      {strings.consentLink}
                    </Link>
                  </>
                )}
                {alert.requestId && <span className={classes.requestId}>{alert.requestId}</span>}
              </MessageBarBody>
            </MessageBar>
          )}
          <Field required {...fieldSlots(emailField, strings.emailLabel, strings.emailHint, classes.field)}>
            <Input type="email" {...controlProps(emailField)} />
          </Field>
          <Field
            {...fieldSlots(
              displayNameField,
              strings.displayNameLabel,
              strings.displayNameHint,
              classes.field,
            )}
          >
            <Input {...controlProps(displayNameField)} />
          </Field>
          {presetField && (
            <Field {...fieldSlots(presetField, strings.presetLabel, presetField.hint, classes.field)}>
              <Dropdown
                id={presetField.inputProps.id}
                aria-invalid={presetField.inputProps['aria-invalid']}
                value={
                  presetField.options.find((option) => option.value === presetField.inputProps.value)
                    ?.label ?? ''
                }
                selectedOptions={[presetField.inputProps.value]}
                // The hook's fields take change events; a Dropdown selects an option, so say it as one.
                onOptionSelect={(_, data) =>
                  presetField.inputProps.onChange({
                    target: { name: presetField.inputProps.name, value: data.optionValue ?? '' },
                  } as ChangeEvent<HTMLSelectElement>)
                }
              >
                {presetField.options.map((option) => (
                  <Option key={option.value} value={option.value}>
                    {option.label}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
          {accessDaysField && (
            <Field
              {...fieldSlots(accessDaysField, strings.accessDaysLabel, accessDaysField.hint, classes.field)}
            >
              <Input
                type="number"
                className={classes.daysInput}
                {...controlProps(accessDaysField)}
                min={accessDaysField.inputProps.min}
                max={accessDaysField.inputProps.max}
              />
            </Field>
          )}
          {reasonField && (
            <Field
              required={reasonField.required}
              {...fieldSlots(reasonField, strings.reasonLabel, strings.reasonHint, classes.field)}
            >
              <Textarea rows={2} resize="vertical" {...controlProps(reasonField)} />
            </Field>
          )}
          {messageField && (
            <Field {...fieldSlots(messageField, strings.messageLabel, messageField.hint, classes.field)}>
              <Textarea rows={3} resize="vertical" {...controlProps(messageField)} />
            </Field>
          )}
          <div className={classes.actions}>
            <Button
              type="submit"
              appearance="primary"
              disabled={state.submit.disabled}
              aria-busy={state.submit.busy || undefined}
              data-busy={state.submit.busy ? '' : undefined}
              data-waiting={state.retryInSeconds > 0 ? '' : undefined}
              // The spinner is for the eye; the label ("Sharing…") and aria-busy say it in words.
              icon={state.submit.busy ? <Spinner size="tiny" aria-hidden="true" /> : undefined}
            >
              {state.submit.label}
            </Button>
          </div>
        </form>
      )}
    </div>
  )
}
