/**
 * Every failure the CLI reports: one class per kind, each with a stable `code` and the process exit code it maps
 * to. The message is one sentence that names what to fix.
 */

/** Exit codes of `entra-share`. */
export const ExitCode = {
  /** Every row was invited. */
  ok: 0,
  /** A row failed or was cancelled, or signing in or the BFF failed. */
  failed: 1,
  /** Bad flags, a missing setting or an unreadable file. */
  usage: 2,
  /** Interrupted with Ctrl-C (the job, if any, was asked to cancel). */
  interrupted: 130,
} as const

/** The base class: `code` says which kind of failure, `exitCode` what the process exits with. */
export abstract class CliError extends Error {
  abstract readonly code: 'usage' | 'file' | 'sign_in' | 'bff'
  abstract readonly exitCode: number
}

/** A flag or setting is missing or malformed. */
export class UsageError extends CliError {
  override name = 'UsageError'
  readonly code = 'usage'
  readonly exitCode = ExitCode.usage
}

/** The CSV cannot be read or the results file cannot be written. */
export class FileError extends CliError {
  override name = 'FileError'
  readonly code = 'file'
  readonly exitCode = ExitCode.usage
}

/** Signing in with the device code flow failed, or the sign-in can no longer be refreshed. */
export class SignInError extends CliError {
  override name = 'SignInError'
  readonly code = 'sign_in'
  readonly exitCode = ExitCode.failed
}

/** What the BFF said when it refused a request (its problem+json), or why it could not be reached. */
export interface BffProblem {
  /** HTTP status; `null` when the BFF could not be reached. */
  status: number | null
  /** The problem's catalogued `code` (`invalid_request`, `unauthorized`, …), when the BFF sent one. */
  problemCode: string | null
  detail: string | null
  requestId: string | null
  retryAfterSeconds: number | null
  /** Whether the same request may succeed later, unchanged: the catalogue's `retryable` for the failure's code. */
  retryable: boolean
}

/** The BFF refused a request or could not be reached. */
export class BffError extends CliError {
  override name = 'BffError'
  readonly code = 'bff'
  readonly exitCode = ExitCode.failed

  constructor(
    message: string,
    readonly problem: BffProblem,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** Whether a polling request is worth repeating: the BFF was unreachable, throttled or briefly unavailable. */
export function isTransient(error: unknown): boolean {
  return error instanceof BffError && error.problem.retryable
}
