import { parseArgs } from 'node:util'
import { UsageError } from './errors.js'

/** How the CLI gets the bearer token it sends to the BFF. */
export type AuthSettings =
  | { kind: 'token'; token: string }
  | {
      kind: 'device-code'
      clientId: string
      authority: string
      scope: string
      /** Hosts MSAL trusts without instance discovery (the emulator's `127.0.0.1:PORT`). */
      knownAuthorities: string[]
      /** OpenID metadata JSON, so MSAL makes no discovery call. */
      authorityMetadata: string | undefined
    }

/** Everything `entra-share invite` needs, from flags and the environment. */
export interface InviteSettings {
  csvPath: string
  bffUrl: URL
  outPath: string
  auth: AuthSettings
  pollIntervalMs: number
}

/** What the command line asks for. */
export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'invite'; settings: InviteSettings }

// Microsoft's public clouds: MSAL validates these itself; any other host is trusted as given.
const MICROSOFT_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
])

const OPTIONS = {
  csv: { type: 'string' },
  bff: { type: 'string' },
  out: { type: 'string' },
  scope: { type: 'string' },
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  authority: { type: 'string' },
  'poll-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

/**
 * Parses `entra-share` arguments (without `node` and the script) and reads the `ENTRA_SHARE_*` variables. Flags win
 * over the environment. Throws {@link UsageError} with one sentence naming the flag to fix.
 *
 * @example
 * const command = parseCommandLine(['invite', '--csv', 'partners.csv', '--bff', 'https://invite.contoso.com'], process.env)
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(argumentProblem(error as Error & { code?: string }))
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  const [command, ...extra] = positionals
  if (!command) throw new UsageError('Name a command: entra-share invite --csv FILE --bff URL.')
  if (command !== 'invite') throw new UsageError(`Unknown command "${command}"; the only command is invite.`)
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}"; pass the file with --csv FILE.`)

  const csvPath = values.csv
  if (!csvPath) throw new UsageError('Pass the CSV file to invite from with --csv FILE.')
  const bffText = values.bff ?? env.ENTRA_SHARE_BFF_URL
  if (!bffText)
    throw new UsageError("Pass the entra-share BFF's address with --bff URL (or ENTRA_SHARE_BFF_URL).")
  const bffUrl = parseHttpUrl(bffText, '--bff')
  const pollIntervalMs = parsePollInterval(values['poll-interval'] ?? env.ENTRA_SHARE_POLL_INTERVAL)
  return {
    kind: 'invite',
    settings: {
      csvPath,
      bffUrl,
      outPath: values.out ?? defaultResultsPath(csvPath),
      auth: authSettings(values, env),
      pollIntervalMs,
    },
  }
}

/** `partners.csv` → `partners.results.csv`; a name without `.csv` gets `.results.csv` appended. */
export function defaultResultsPath(csvPath: string): string {
  return `${csvPath.replace(/\.csv$/i, '')}.results.csv`
}

function authSettings(
  values: { scope?: string; tenant?: string; 'client-id'?: string; authority?: string },
  env: NodeJS.ProcessEnv,
): AuthSettings {
  const token = env.ENTRA_SHARE_TOKEN?.trim()
  if (token) return { kind: 'token', token: token.replace(/^Bearer\s+/i, '') }

  const clientId = values['client-id'] ?? env.ENTRA_SHARE_CLI_CLIENT_ID
  if (!clientId) {
    throw new UsageError(
      'Pass the CLI app registration with --client-id ID (or ENTRA_SHARE_CLI_CLIENT_ID), or set ENTRA_SHARE_TOKEN to skip signing in.',
    )
  }
  const scope = values.scope ?? env.ENTRA_SHARE_BFF_SCOPE
  if (!scope) {
    throw new UsageError(
      "Pass the BFF's API scope with --scope, e.g. api://<bff-client-id>/Invitations.Send (or ENTRA_SHARE_BFF_SCOPE).",
    )
  }
  const tenant = values.tenant ?? env.ENTRA_SHARE_TENANT_ID
  const authorityText =
    values.authority ??
    env.ENTRA_SHARE_AUTHORITY ??
    (tenant ? `https://login.microsoftonline.com/${encodeURIComponent(tenant)}` : undefined)
  if (!authorityText) {
    throw new UsageError(
      'Pass your tenant with --tenant ID (or --authority URL, ENTRA_SHARE_TENANT_ID, ENTRA_SHARE_AUTHORITY) so the CLI knows where to sign you in.',
    )
  }
  const authority = parseHttpUrl(authorityText, '--authority')
  if (authority.protocol !== 'https:') {
    throw new UsageError(
      `The authority must be an https URL (MSAL refuses ${authority.protocol}); fix --authority.`,
    )
  }
  const listed = env.ENTRA_SHARE_KNOWN_AUTHORITIES?.split(',')
    .map((host) => host.trim())
    .filter(Boolean)
  const knownAuthorities = listed?.length
    ? listed
    : MICROSOFT_HOSTS.has(authority.hostname)
      ? []
      : [authority.host]
  const authorityMetadata = env.ENTRA_SHARE_AUTHORITY_METADATA?.trim() || undefined
  if (authorityMetadata) {
    try {
      JSON.parse(authorityMetadata)
    } catch {
      throw new UsageError(
        'ENTRA_SHARE_AUTHORITY_METADATA is not JSON; paste the emulator’s authorityMetadata as is.',
      )
    }
  }
  return {
    kind: 'device-code',
    clientId,
    authority: authority.href.replace(/\/$/, ''),
    scope,
    knownAuthorities,
    authorityMetadata,
  }
}

function parseHttpUrl(text: string, flag: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`"${text}" is not a URL; pass ${flag} as https://host[:port].`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`"${text}" is not an http(s) URL; pass ${flag} as https://host[:port].`)
  }
  return url
}

function parsePollInterval(text: string | undefined): number {
  if (text === undefined) return 1000
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 60) {
    throw new UsageError(`--poll-interval takes seconds between 0.1 and 60, not "${text}".`)
  }
  return Math.round(seconds * 1000)
}

/** Node's parseArgs messages run to two sentences about `--`; say the one thing to fix. */
function argumentProblem(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1]
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return `Unknown option ${option}; run entra-share --help for the options.`
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /missing/.test(error.message)
      ? `${option} needs a value, e.g. ${option} ${option === '--csv' || option === '--out' ? 'FILE' : 'VALUE'}.`
      : `${option} takes no value; remove what follows it.`
  }
  return `${error.message.replace(/\.$/, '')}; run entra-share --help for the options.`
}
