import { Client } from '@microsoft/microsoft-graph-client'
import type { RunningEmulator } from '../src/index.js'
import { seeded } from './support.js'

/**
 * Application permissions of the seeded BFF (least privilege): it invites and reads; its changes to guests and to
 * its groups go through its service principal's role on the Guests unit and its group ownership.
 */
export const BFF_APP_ROLES = ['User.Invite.All', 'Directory.Read.All']

/** An app-only Graph token minted directly by the emulator's token service (no token endpoint involved). */
export function appGraphToken(
  emulator: RunningEmulator,
  options: { tenantId?: string; clientId?: string; roles?: string[] } = {},
): Promise<string> {
  const { directory, tokens } = emulator.context
  const tenant = directory.tenant(options.tenantId ?? seeded.contosoTenantId)
  if (!tenant) throw new Error(`The seed has no tenant ${options.tenantId}`)
  return tokens.graphAccessToken({
    tenant,
    clientId: options.clientId ?? seeded.bffClientId,
    clientAuthentication: '1',
    user: null,
    scopes: [],
    roles: options.roles ?? BFF_APP_ROLES,
    session: { mfa: false },
  })
}

/** The real Microsoft Graph JS SDK pointed at the emulator, with its default middleware (RetryHandler included). */
export function graphSdkClient(emulator: RunningEmulator, token: string): Client {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${emulator.url}/`,
    customHosts: new Set([new URL(emulator.url).hostname]),
  })
}

/** Sends `body` as JSON to a Graph path of the emulator with the token. */
export function graphFetch(
  emulator: RunningEmulator,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${emulator.url}/v1.0${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** A `POST /invitations` body for an address. */
export function invitationBody(email: string): Record<string, unknown> {
  return { invitedUserEmailAddress: email, inviteRedirectUrl: 'https://apps.contoso.example/welcome' }
}

/** Graph's error object (`{"error":{...}}`). */
export interface GraphError {
  code: string
  message: string
  innerError: Record<string, string>
}

/** One entry of a `$batch` answer. */
export interface BatchItemAnswer {
  id: string
  status: number
  headers: Record<string, string>
  body?: unknown
}

/** Reads the error object of a Graph error response. */
export async function graphErrorOf(response: Response): Promise<GraphError> {
  return ((await response.json()) as { error: GraphError }).error
}

/** Reads the items of a `$batch` answer. */
export async function batchItemsOf(response: Response): Promise<BatchItemAnswer[]> {
  return ((await response.json()) as { responses: BatchItemAnswer[] }).responses
}

/** The error object in a batch item's body. */
export function itemError(item: BatchItemAnswer | undefined): GraphError | undefined {
  return (item?.body as { error?: GraphError } | undefined)?.error
}
