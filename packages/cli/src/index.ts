/**
 * `@entra-share/cli`: the `entra-share` command line, and its pieces for scripts that drive a bulk invitation
 * from Node.
 *
 * @example
 * import { parseCommandLine, runInvite } from '@entra-share/cli'
 * const command = parseCommandLine(['invite', '--csv', 'partners.csv', '--bff', 'https://invite.contoso.com'], process.env)
 * if (command.kind === 'invite') process.exitCode = await runInvite(command.settings, { stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal })
 */
export { type BulkApi, createBulkApi } from './bulk-api.js'
export {
  BffError,
  type BffProblem,
  CliError,
  ExitCode,
  FileError,
  isTransient,
  SignInError,
  UsageError,
} from './errors.js'
export { HELP } from './help.js'
export { type InviteDependencies, type InviteIo, runInvite } from './invite.js'
export {
  createProgressView,
  formatDuration,
  type ProgressOutput,
  type ProgressView,
  rowsDone,
} from './progress.js'
export {
  type AuthSettings,
  type Command,
  defaultResultsPath,
  type InviteSettings,
  parseCommandLine,
} from './settings.js'
export { createTokenSource, type TokenSource } from './token.js'
