import type { BffConfig } from '../config.js'
import { isEmulatorAuthority } from '../identity/authority.js'
import { checkAuthority } from './authority-check.js'
import { type CheckLine, type CheckReport, reportOf } from './check-report.js'
import { checkCredential } from './credential-check.js'
import { checkGraph } from './graph-checks.js'
import { networkReason } from './http-probe.js'

export type { CheckLine, CheckReport } from './check-report.js'
export { formatCheckReport } from './check-report.js'

export interface RunCheckOptions {
  /** The HTTP client for the authority, the token endpoint and Graph (default: the global `fetch`). */
  fetch?: typeof fetch
}

/**
 * `entra-share-bff check`: verifies the configuration against the real services and reports one line per fact or
 * problem — the authority's OIDC metadata and issuer, its RS256 signing keys, the credential (an app-only Graph
 * token via msal-node), that Graph answers, the Graph permissions the app holds against those the Graph mode needs,
 * that every preset's groups exist, and (from the configuration alone) which client apps may call — a warning when
 * none is listed. A failing line says what to change, naming the environment variable.
 * Never throws: an unexpected failure becomes a failing line. Checks that depend on a failed one are skipped.
 *
 * @example
 * const report = await runCheck(loadConfig(process.env))
 * console.log(formatCheckReport(report))
 * process.exitCode = report.ok ? 0 : 1
 */
export async function runCheck(config: BffConfig, options: RunCheckOptions = {}): Promise<CheckReport> {
  const report = await checkServices(config, options)
  return reportOf([...report.lines, clientAllowListLine(config)])
}

/**
 * `ENTRA_SHARE_ALLOWED_CLIENT_IDS` fails closed: empty, the BFF refuses every token (except against the local
 * emulator, where it accepts any client), so an empty list is a warning.
 */
function clientAllowListLine(config: Pick<BffConfig, 'allowedClientIds' | 'authorityHost'>): CheckLine {
  if (config.allowedClientIds.length > 0)
    return {
      ok: true,
      text: `Client apps allowed to call (ENTRA_SHARE_ALLOWED_CLIENT_IDS): ${config.allowedClientIds.join(', ')}.`,
    }
  return {
    ok: true,
    warning: true,
    text: isEmulatorAuthority(config.authorityHost)
      ? 'ENTRA_SHARE_ALLOWED_CLIENT_IDS is empty: the local emulator lets any client app call; against a real tenant the BFF would refuse every access token.'
      : 'ENTRA_SHARE_ALLOWED_CLIENT_IDS is empty: the BFF refuses every access token; set it to the client ids of the apps that call it (the SPA, the CLI).',
  }
}

async function checkServices(config: BffConfig, options: RunCheckOptions): Promise<CheckReport> {
  const fetchImpl = options.fetch ?? globalThis.fetch
  const lines: CheckLine[] = []
  try {
    const authority = await checkAuthority(config, fetchImpl)
    lines.push(...authority.lines)
    if (authority.metadataText === null) {
      lines.push({
        ok: false,
        text: 'Skipped the credential, Graph permission and preset checks: they need the authority.',
      })
      return reportOf(lines)
    }
    const credential = await checkCredential(config, authority.metadataText, fetchImpl)
    lines.push(credential.line)
    if (credential.accessToken === null) {
      lines.push({
        ok: false,
        text: 'Skipped the Graph permission and preset checks: they need a working credential.',
      })
      return reportOf(lines)
    }
    lines.push(
      ...(await checkGraph(
        config,
        { accessToken: credential.accessToken, roles: credential.roles },
        fetchImpl,
      )),
    )
  } catch (error) {
    lines.push({ ok: false, text: `The check stopped unexpectedly: ${networkReason(error)}` })
  }
  return reportOf(lines)
}
