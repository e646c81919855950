import type { ReactElement } from 'react'
import { guestAccessClassNames as classNames } from './GuestAccess.classNames.js'
import type { GuestAccessState, GuestButton } from './GuestAccess.types.js'

const toneClass = { primary: classNames.primary, danger: classNames.danger } as const

function Button({ button }: { button: GuestButton }): ReactElement {
  return (
    <button
      type="button"
      id={button.id}
      className={button.tone ? toneClass[button.tone] : classNames.button}
      aria-label={button.name}
      // aria-disabled, not disabled: the button keeps focus while its row waits for an answer.
      aria-disabled={button.disabled || undefined}
      aria-busy={button.busy || undefined}
      data-busy={button.busy || undefined}
      data-action={button.action}
      onClick={button.onClick}
    >
      {button.label}
    </button>
  )
}

/**
 * Renders `<GuestAccess>` from its state (pure JSX): the title, the table of guests or requests with each row's
 * status, access term and buttons, "Load more", the confirm dialog before a removal or an extension (with the days to
 * add) and the live region. Fixed `es-Guests*` class names and `data-*` state attributes; no styles of its own.
 *
 * @example
 * function MyGuests(props: GuestAccessProps) {
 *   return renderGuestAccess(useGuestAccessState(props))
 * }
 */
export function renderGuestAccess(state: GuestAccessState): ReactElement {
  const { strings: s, ids, alert, confirm, columns } = state
  const Heading = `h${state.headingLevel}` as 'h2'
  return (
    <section
      className={state.className ? `${classNames.root} ${state.className}` : classNames.root}
      lang={state.lang}
      dir={state.dir}
      aria-labelledby={ids.title}
      aria-busy={state.status === 'loading' || undefined}
      data-status={state.status}
      data-view={state.view}
      ref={state.rootRef}
    >
      <Heading className={classNames.title} id={ids.title}>
        {state.title}
      </Heading>

      {state.status === 'loading' && <p className={classNames.text}>{s.loading}</p>}

      {alert && (
        <div className={classNames.alert} role="alert" data-code={alert.code}>
          <p className={classNames.alertTitle}>{alert.title}</p>
          <p>{alert.message}</p>
          {alert.requestId && <p className={classNames.hint}>{alert.requestId}</p>}
          <div className={classNames.actions}>
            <Button button={alert.retry} />
          </div>
        </div>
      )}

      {state.emptyText && <p className={classNames.text}>{state.emptyText}</p>}

      {state.rows.length > 0 && (
        <div className={classNames.tableWrap}>
          <table className={classNames.table} aria-labelledby={ids.title}>
            <thead>
              <tr>
                <th scope="col">{columns.guest}</th>
                <th scope="col">{columns.status}</th>
                <th scope="col">{columns.details}</th>
                <th scope="col">{columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {state.rows.map((row) => (
                <tr key={row.id} data-status={row.status} data-busy={row.busy || undefined}>
                  <th scope="row" className={classNames.guest} id={row.headerId} tabIndex={-1}>
                    {row.name && <span>{row.name}</span>}
                    <span className={classNames.email}>{row.email}</span>
                  </th>
                  <td>
                    <span className={classNames.status} data-status={row.status}>
                      {row.statusText}
                    </span>
                  </td>
                  <td>
                    {row.details.length > 0 && (
                      <ul className={classNames.details}>
                        {row.details.map((line) => (
                          <li key={line.key} data-warning={line.warning || undefined}>
                            {line.text}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    {row.comment && (
                      <div className={classNames.comment}>
                        <label htmlFor={row.comment.id}>{row.commentLabel}</label>
                        <input className={classNames.input} type="text" {...row.comment} />
                      </div>
                    )}
                    {row.actions.length > 0 && (
                      <div className={classNames.actions}>
                        {row.actions.map((button) => (
                          <Button key={button.action} button={button} />
                        ))}
                      </div>
                    )}
                    {row.error && (
                      <p className={classNames.rowError} data-code={row.error.code}>
                        {row.error.message}
                        {row.error.requestId && (
                          <span className={classNames.hint}> {row.error.requestId}</span>
                        )}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {state.loadMore && (
        <div className={classNames.more}>
          <Button button={state.loadMore} />
        </div>
      )}

      {confirm && (
        <dialog
          ref={confirm.dialogRef}
          className={classNames.dialog}
          lang={state.lang}
          dir={state.dir}
          aria-labelledby={confirm.titleId}
          onCancel={confirm.onCancel}
          onKeyDown={(event) => event.key === 'Escape' && confirm.onCancel(event)}
        >
          <Heading className={classNames.title} id={confirm.titleId}>
            {confirm.title}
          </Heading>
          <p className={classNames.text}>{confirm.text}</p>
          {confirm.days && (
            <div className={classNames.field} data-invalid={confirm.days.errorMessage ? '' : undefined}>
              <label className={classNames.label} htmlFor={confirm.days.inputProps.id}>
                {confirm.days.label}
              </label>
              {confirm.days.hint && (
                <p className={classNames.hint} {...confirm.days.hintProps}>
                  {confirm.days.hint}
                </p>
              )}
              <input className={classNames.input} {...confirm.days.inputProps} />
              {confirm.days.errorMessage && (
                <p className={classNames.fieldError} {...confirm.days.errorMessageProps}>
                  {confirm.days.errorMessage}
                </p>
              )}
            </div>
          )}
          <div className={classNames.actions}>
            <Button button={confirm.cancel} />
            <Button button={confirm.confirm} />
          </div>
        </dialog>
      )}

      <p className={classNames.live} role="status" aria-live="polite">
        {state.announcement}
      </p>
    </section>
  )
}
