import type { ReactElement, ReactNode } from 'react'
import { formatString } from '../format.js'
import { bulkInviteClassNames as classNames } from './BulkInvite.classNames.js'
import type { BulkButton, BulkInviteState } from './BulkInvite.types.js'

function Heading({ level, id, children }: { level: number; id?: string; children: ReactNode }): ReactElement {
  const Tag = `h${level}` as 'h2'
  return (
    <Tag id={id} className={classNames.title}>
      {children}
    </Tag>
  )
}

function Button({ button, primary }: { button: BulkButton | null; primary?: boolean }): ReactElement | null {
  if (!button) return null
  return (
    <button
      type="button"
      className={primary ? classNames.primary : classNames.button}
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
      className={state.className ? `${classNames.root} ${state.className}` : classNames.root}
      lang={state.lang}
      dir={state.dir}
      aria-labelledby={ids.title}
      data-status={state.status}
      ref={state.rootRef}
    >
      <Heading level={state.headingLevel} id={ids.title}>
        {s.title}
      </Heading>
      <p className={classNames.text}>{s.intro}</p>

      {state.dropZone && (
        <div className={classNames.drop} {...state.dropZone.props}>
          <label className={classNames.label} htmlFor={state.dropZone.inputProps.id}>
            {s.fileLabel}
          </label>
          <input className={classNames.input} {...state.dropZone.inputProps} />
          <p className={classNames.hint} id={ids.hint}>
            {state.dropZone.props['data-dragging'] ? s.dropActive : s.fileHint}
          </p>
        </div>
      )}

      {alert && (
        <div className={classNames.alert} role="alert" data-code={alert.code}>
          <p className={classNames.alertTitle}>{alert.title}</p>
          <p>{alert.message}</p>
          {alert.detail && alert.detail !== alert.message && <p>{alert.detail}</p>}
          {alert.requestId && (
            <p className={classNames.hint}>{formatString(s.requestId, { requestId: alert.requestId })}</p>
          )}
        </div>
      )}

      {preview && (
        <div className={classNames.preview}>
          <p className={classNames.text}>{preview.summary}</p>
          {preview.exampleRowSkipped && <p className={classNames.hint}>{s.exampleSkipped}</p>}
          {preview.fileProblemText && (
            <p className={classNames.problem} data-file-problem="">
              {preview.fileProblemText} {s.filePreviewNote}
            </p>
          )}
          {preview.rows.length > 0 && (
            <div className={classNames.tableWrap}>
              <table className={classNames.table}>
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
                      <td className={row.problemText ? classNames.problem : undefined}>
                        {row.problemText ?? s.noProblem}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className={classNames.actions}>
            <Button button={state.start} primary />
          </div>
        </div>
      )}

      {progress && (
        <div className={classNames.progress}>
          <progress
            className={classNames.bar}
            value={progress.value}
            max={progress.max}
            aria-label={s.progressLabel}
            aria-describedby={ids.progressText}
          />
          <p className={classNames.text} id={ids.progressText}>
            {progress.text}
          </p>
        </div>
      )}

      {state.paused && (
        <div className={classNames.notice} data-paused="">
          <p className={classNames.alertTitle}>{s.pausedTitle}</p>
          <p>{s.pausedText}</p>
          <div className={classNames.actions}>
            <Button button={state.signIn} primary />
          </div>
        </div>
      )}

      {finished && (
        <div className={classNames.finished}>
          <Heading level={subLevel}>{finished.title}</Heading>
          <p className={classNames.text}>{finished.text}</p>
        </div>
      )}

      {(state.cancel || state.download || state.again) && (
        <div className={classNames.actions}>
          <Button button={state.cancel} />
          <Button button={state.download} primary={Boolean(finished)} />
          <Button button={state.again} />
        </div>
      )}

      {state.refusedRows.length > 0 && (
        <div className={classNames.tableWrap}>
          <table className={classNames.table}>
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
                      <span className={classNames.hint}> {row.detail}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.job && state.job.rejectedRows.length < state.job.counts.failed && (
            <p className={classNames.hint}>{s.refusedMore}</p>
          )}
        </div>
      )}

      <p className={classNames.live} role="status" aria-live="polite">
        {state.announcement}
      </p>
    </section>
  )
}
