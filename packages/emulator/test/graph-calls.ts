import { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { FaultConfig, RunningEmulator } from '../src/index.js'
import { seeded, startTestEmulator } from './support.js'

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

/** One emulator for a `describe` block and an app-only Graph token of the seeded BFF; read them inside tests. */
export interface GraphEmulatorFixture {
  emulator: RunningEmulator
  token: string
}

/** Starts an emulator for the enclosing `describe` block and sets it back to the seed, faults cleared, before each test. */
export function useGraphEmulator(): GraphEmulatorFixture {
  const fixture = {} as GraphEmulatorFixture
  beforeAll(async () => {
    fixture.emulator = await startTestEmulator()
    fixture.token = await appGraphToken(fixture.emulator)
  })
  afterAll(() => fixture.emulator.close())
  beforeEach(async () => {
    const response = await fetch(`${fixture.emulator.url}/_emulator/reset`, { method: 'POST' })
    if (response.status !== 204) throw new Error(`POST /_emulator/reset answered ${response.status}`)
  })
  return fixture
}

/** Replaces the running emulator's faults through `PUT /_emulator/faults`, as a test tool would. */
export async function putFaults(emulator: RunningEmulator, config: FaultConfig): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  })
  if (response.status !== 200) {
    throw new Error(`PUT /_emulator/faults answered ${response.status}: ${await response.text()}`)
  }
}

/** `count` batch items reading the seeded inviter, ids "1", "2"…; `chained`: each depends on the one before. */
export function userReadItems(count: number, chained = false): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, index) => ({
    id: String(index + 1),
    method: 'GET',
    url: `/users/${seeded.inviter.id}?$select=id`,
    ...(chained && index > 0 ? { dependsOn: [String(index)] } : {}),
  }))
}
