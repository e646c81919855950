/** One verified fact, or one problem with a sentence saying what to do about it. */
export interface CheckLine {
  ok: boolean
  text: string
  /** A passing line the operator should read anyway (printed with `!`); it does not fail the report. */
  warning?: boolean
}

/** What `entra-share-bff check` found: `ok` only when every line is. */
export interface CheckReport {
  ok: boolean
  lines: CheckLine[]
}

/**
 * The report as the CLI prints it: one `✓`/`✗` line per check (`!` for a warning), then a one-line summary.
 *
 * @example
 * console.log(formatCheckReport(await runCheck(config)))
 * // ✓ OIDC metadata at https://login.microsoftonline.com/…/v2.0/.well-known/openid-configuration: issuer …
 * // ✗ Delegated permission User.Invite.All has no admin consent: …
 * // 1 of 9 checks failed.
 */
export function formatCheckReport(report: CheckReport): string {
  const lines = report.lines.map((line) => `${line.ok ? (line.warning ? '!' : '✓') : '✗'} ${line.text}`)
  const failed = report.lines.filter((line) => !line.ok).length
  const warnings = report.lines.filter((line) => line.ok && line.warning).length
  const warned = warnings === 0 ? '' : ` (${warnings} with a warning)`
  lines.push(
    failed === 0
      ? `All ${report.lines.length} checks passed${warned}.`
      : `${failed} of ${report.lines.length} checks failed${warned}.`,
  )
  return lines.join('\n')
}

/** Builds a report from its lines. */
export function reportOf(lines: CheckLine[]): CheckReport {
  return { ok: lines.every((line) => line.ok), lines }
}
