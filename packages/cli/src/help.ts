/** The text of `entra-share --help`. */
export const HELP = `entra-share: invite guests in bulk through the entra-share BFF

Usage:
  entra-share invite --csv FILE --bff URL [options]

Takes the Entra admin portal's bulk-invite CSV template as it downloads (or entra-share's extended template),
shows the rows refused at upload, draws a progress bar while the BFF invites, writes the results CSV and exits
non-zero when any row was not invited.

Options:
  --csv FILE            the CSV to invite from
  --bff URL             the entra-share BFF, e.g. https://invite.contoso.com      [ENTRA_SHARE_BFF_URL]
  --out FILE            where to write the results        (default: FILE with .csv replaced by .results.csv)
  --tenant ID           your tenant id or domain; signs in at https://login.microsoftonline.com/ID
                                                                                   [ENTRA_SHARE_TENANT_ID]
  --authority URL       the full authority instead of --tenant (the emulator's)   [ENTRA_SHARE_AUTHORITY]
  --client-id ID        the CLI's app registration (public client flows allowed)  [ENTRA_SHARE_CLI_CLIENT_ID]
  --scope SCOPE         the BFF's API scope, e.g. api://<bff-client-id>/Invitations.Send
                                                                                   [ENTRA_SHARE_BFF_SCOPE]
  --poll-interval SECS  seconds between job status checks (default 1)             [ENTRA_SHARE_POLL_INTERVAL]
  -h, --help            show this help
  -v, --version         show the version

Signing in:
  With ENTRA_SHARE_TOKEN set, that bearer token is sent as is. Otherwise the CLI uses the device code flow: it
  prints "To sign in, use a web browser to open the page … and enter the code …"; open the page on any device and
  sign in. The token is kept in memory for the run and refreshed silently while a long job runs.
  For a local emulator, also set ENTRA_SHARE_AUTHORITY_METADATA (its authorityMetadata JSON) and, if the authority
  host is not the emulator's, ENTRA_SHARE_KNOWN_AUTHORITIES (comma-separated host:port).

Exit codes:
  0    every row was invited
  1    a row failed or was cancelled, or signing in or the BFF failed
  2    bad flags, a missing setting, or a file that cannot be read or written
  130  interrupted with Ctrl-C (the job was asked to cancel); Ctrl-C again stops waiting for the rows already
       sent to Graph, a third time leaves at once
`
