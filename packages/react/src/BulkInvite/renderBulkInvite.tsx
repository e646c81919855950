import type { ReactElement, ReactNode } from 'react'
import type { BulkButton, BulkInviteState } from './BulkInvite.types.js'
import { formatString } from './strings.js'

function Heading({ level, id, children }: { level: number; id?: string; children: ReactNode }): ReactElement {
  const Tag = `h${level}` as 'h2'
  return (
    <Tag id={id} className="es-Bulk__title">
      {children}
    </Tag>
  )
}

function Button({ button, primary }: { button: BulkButton | null; primary?: boolean }): ReactElement | null {
  if (!button) return null
  return (
    <button
      type="button"
      className={primary ? 'es-Bulk__primary' : 'es-Bulk__button'}
      onClick={button.onClick}
      disabled={button.disabled}
      aria-busy={button.busy || undefined}
      data-busy={button.busy || undefined}
    >
      {button.label}
    </button>
  )
}

/**
 * Renders `<BulkInvite>` from its state (pure JSX): the drop zone, the preview, the progress, the paused notice, the
 * finished view and the error summary. Pair it with `useBulkInvite` for the unstyled variant.
 */
export function renderBulkInvite(state: BulkInviteState): ReactElement {
  const { strings: s, ids, preview, progress, alert, finished } = state
  const subLevel = Math.min(state.headingLevel + 1, 6)
  return (
    <section
      className={state.className ? `es-Bulk ${state.className}` : 'es-Bulk'}
      aria-labelledby={ids.title}
      data-status={state.status}
      ref={state.rootRef}
    >
      <Heading level={state.headingLevel} id={ids.title}>
        {s.title}
      </Heading>
      <p className="es-Bulk__text">{s.intro}</p>

      {state.dropZone && (
        <div className="es-Bulk__drop" {...state.dropZone.props}>
          <label className="es-Bulk__label" htmlFor={state.dropZone.inputProps.id}>
            {s.fileLabel}
          </label>
          <input className="es-Bulk__input" {...state.dropZone.inputProps} />
          <p className="es-Bulk__hint" id={ids.hint}>
            {state.dropZone.props['data-dragging'] ? s.dropActive : s.fileHint}
          </p>
        </div>
      )}

      {alert && (
        <div className="es-Bulk__alert" role="alert" data-code={alert.code}>
          <p className="es-Bulk__alertTitle">{alert.title}</p>
          <p>{alert.message}</p>
          {alert.detail && alert.detail !== alert.message && <p>{alert.detail}</p>}
          {alert.requestId && (
            <p className="es-Bulk__hint">{formatString(s.requestId, { requestId: alert.requestId })}</p>
          )}
        </div>
      )}

      {preview && (
        <div className="es-Bulk__preview">
          <p className="es-Bulk__text">{preview.summary}</p>
          {preview.exampleRowSkipped && <p className="es-Bulk__hint">{s.exampleSkipped}</p>}
          {preview.fileProblemText && (
            <p className="es-Bulk__problem" data-file-problem="">
              {preview.fileProblemText} {s.filePreviewNote}
            </p>
          )}
          {preview.rows.length > 0 && (
            <div className="es-Bulk__tableWrap">
              <table className="es-Bulk__table">
                <caption>{preview.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.columnRow}</th>
                    <th scope="col">{s.columnEmail}</th>
                    <th scope="col">{s.columnName}</th>
                    <th scope="col">{s.columnProblem}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row) => (
                    <tr key={row.rowNumber} data-invalid={row.problem ? '' : undefined}>
                      <th scope="row">{row.rowNumber}</th>
                      <td>{row.email}</td>
                      <td>{row.displayName}</td>
                      <td className={row.problemText ? 'es-Bulk__problem' : undefined}>
                        {row.problemText ?? s.noProblem}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="es-Bulk__actions">
            <Button button={state.start} primary />
          </div>
        </div>
      )}

      {progress && (
        <div className="es-Bulk__progress">
          <progress
            className="es-Bulk__bar"
            value={progress.value}
            max={progress.max}
            aria-label={s.progressLabel}
            aria-describedby={ids.progressText}
          />
          <p className="es-Bulk__text" id={ids.progressText}>
            {progress.text}
          </p>
        </div>
      )}

      {state.paused && (
        <div className="es-Bulk__notice" data-paused="">
          <p className="es-Bulk__alertTitle">{s.pausedTitle}</p>
          <p>{s.pausedText}</p>
          <div className="es-Bulk__actions">
            <Button button={state.signIn} primary />
          </div>
        </div>
      )}

      {finished && (
        <div className="es-Bulk__finished">
          <Heading level={subLevel}>{finished.title}</Heading>
          <p className="es-Bulk__text">{finished.text}</p>
        </div>
      )}

      {(state.cancel || state.download || state.again) && (
        <div className="es-Bulk__actions">
          <Button button={state.cancel} />
          <Button button={state.download} primary={Boolean(finished)} />
          <Button button={state.again} />
        </div>
      )}

      {state.refusedRows.length > 0 && (
        <div className="es-Bulk__tableWrap">
          <table className="es-Bulk__table">
            <caption>{s.refusedTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{s.columnRow}</th>
                <th scope="col">{s.columnEmail}</th>
                <th scope="col">{s.columnProblem}</th>
              </tr>
            </thead>
            <tbody>
              {state.refusedRows.map((row) => (
                <tr key={row.rowNumber} data-invalid="">
                  <th scope="row">{row.rowNumber}</th>
                  <td>{row.email}</td>
                  <td>
                    {row.reason}
                    {row.detail && row.detail !== row.reason && (
                      <span className="es-Bulk__hint"> {row.detail}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.job && state.job.rejectedRows.length < state.job.counts.failed && (
            <p className="es-Bulk__hint">{s.refusedMore}</p>
          )}
        </div>
      )}

      <p className="es-Bulk__live" role="status" aria-live="polite">
        {state.announcement}
      </p>
    </section>
  )
}
