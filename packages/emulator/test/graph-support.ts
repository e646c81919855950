import { Client, GraphError } from '@microsoft/microsoft-graph-client'
import { expect } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { seeded } from './support.js'

export interface GraphTokenOptions {
  /** The signed-in user (object id or UPN) of a delegated token; omit for an app-only token. */
  user?: string
  /** Delegated permissions (`scp`). */
  scopes?: string[]
  /** Application permissions (`roles`). */
  roles?: string[]
  tenantId?: string
}

/**
 * A Microsoft Graph access token minted by the emulator's token service, shaped like the token endpoint's
 * (these tests exercise Graph, not the token endpoint, which has its own suite).
 */
export async function graphToken(
  emulator: RunningEmulator,
  options: GraphTokenOptions = {},
): Promise<string> {
  const { directory, tokens } = emulator.context
  const tenant = directory.tenant(options.tenantId ?? seeded.contosoTenantId)
  if (!tenant) throw new Error(`No tenant ${options.tenantId}`)
  const user = options.user ? directory.user(tenant, options.user) : null
  if (options.user && !user) throw new Error(`No user ${options.user} in ${tenant.displayName}`)
  return tokens.graphAccessToken({
    tenant,
    clientId: seeded.bffClientId,
    clientAuthentication: '1',
    user: user ?? null,
    session: { mfa: false },
    scopes: options.scopes ?? [],
    roles: options.roles ?? [],
  })
}

/**
 * The real Graph JS SDK pointed at the emulator. `customHosts` must hold the emulator's host name (the SDK
 * compares it without the port) or the SDK drops the Authorization header for non-Graph hosts.
 */
export function graphClient(emulator: RunningEmulator, token: string): Client {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: emulator.url,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(emulator.url).hostname]),
  })
}

/** A Graph SDK client for Megan, the seeded Guest Inviter, with the BFF's delegated permissions. */
export async function inviterClient(emulator: RunningEmulator): Promise<Client> {
  return graphClient(
    emulator,
    await graphToken(emulator, {
      user: seeded.inviter.upn,
      scopes: ['User.Read', 'User.Invite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All'],
    }),
  )
}

/**
 * A Graph SDK client for Adele, the seeded User Administrator, with the BFF's delegated permissions: her role lets
 * her change users and group members, which Megan (a Guest Inviter) may not.
 */
export async function adminClient(emulator: RunningEmulator): Promise<Client> {
  return graphClient(
    emulator,
    await graphToken(emulator, {
      user: seeded.admin.upn,
      scopes: ['User.Read', 'User.Invite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All'],
    }),
  )
}

/** An app-only Graph SDK client with the BFF's application permissions (`User.Invite.All`, `Directory.Read.All`). */
export async function appClient(emulator: RunningEmulator): Promise<Client> {
  return graphClient(
    emulator,
    await graphToken(emulator, { roles: ['User.Invite.All', 'Directory.Read.All'] }),
  )
}

/** Runs a Graph SDK call that must fail and returns the SDK's `GraphError`. */
export async function graphFailure(call: Promise<unknown>): Promise<GraphError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error, 'the Graph call should have failed').toBeInstanceOf(GraphError)
  return error as GraphError
}

/** The minimal invitation body Graph requires. */
export function invitationFor(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    invitedUserEmailAddress: email,
    inviteRedirectUrl: 'https://app.contoso.example/welcome',
    ...extra,
  }
}
