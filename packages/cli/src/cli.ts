import packageJson from '../package.json' with { type: 'json' }
import { CliError, ExitCode } from './errors.js'
import { HELP } from './help.js'
import { runInvite } from './invite.js'
import { parseCommandLine } from './settings.js'

/**
 * The `entra-share` executable: parses the command line, runs it, and exits with its code. The first Ctrl-C asks
 * the BFF to cancel the job; a second one stops waiting for the rows already sent to Graph (the counts and results so
 * far are still written); a third leaves at once.
 */
async function main(): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>
  try {
    command = parseCommandLine(process.argv.slice(2), process.env)
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    process.stderr.write(`entra-share: ${error.message}\n`)
    return error.exitCode
  }
  if (command.kind === 'help') {
    process.stdout.write(HELP)
    return ExitCode.ok
  }
  if (command.kind === 'version') {
    process.stdout.write(`${packageJson.version}\n`)
    return ExitCode.ok
  }
  const interrupt = new AbortController()
  const stopWaiting = new AbortController()
  process.on('SIGINT', () => {
    if (stopWaiting.signal.aborted) process.exit(ExitCode.interrupted)
    if (interrupt.signal.aborted) stopWaiting.abort()
    else interrupt.abort()
  })
  return runInvite(command.settings, {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: interrupt.signal,
    stopWaiting: stopWaiting.signal,
  })
}

main().then(
  (code) => {
    process.exitCode = code
    // msal-node and fetch may keep sockets alive; the run is over.
    setImmediate(() => process.exit(code))
  },
  (error: unknown) => {
    process.stderr.write(`entra-share: unexpected failure: ${(error as Error).stack ?? String(error)}\n`)
    process.exit(ExitCode.failed)
  },
)
