import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import type { BffConfig } from '../../src/config.js'
import type { InvitationEmail, InvitationMailer } from '../../src/email/types.js'
import { createGraphApi } from '../../src/graph/graph-api.js'
import { createAccessTokenValidator } from '../../src/identity/access-token-validator.js'
import type { Caller, GraphTokenProvider } from '../../src/identity/caller.js'
import { createGraphTokenProvider } from '../../src/identity/graph-token-provider.js'
import { createAppUserStore } from '../../src/invitations/app-user-store.js'
import { createInvitationStore } from '../../src/invitations/invitation-store.js'
import {
  createInviteService,
  type FollowUpTiming,
  type InviteService,
} from '../../src/invitations/invite-service.js'
import type { AppUserStore, InvitationStore } from '../../src/invitations/types.js'
import { openDatabase } from '../../src/platform/database.js'
import type { Database } from '../../src/platform/types.js'
import { configForEmulator } from '../../src/testing/index.js'
import { seeded } from '../support.js'

export const APP_ORIGIN = 'https://apps.contoso.example'

/** A test double of the mailer interface: records what it was asked to send, or fails on demand. */
export class RecordingInvitationMailer implements InvitationMailer {
  readonly sent: InvitationEmail[] = []
  failWith: Error | null = null

  async send(email: InvitationEmail): Promise<void> {
    if (this.failWith) throw this.failWith
    this.sent.push(email)
  }

  async close(): Promise<void> {}
}

/** The pieces of a real invite service: emulator, PGlite in a temp folder, msal-node tokens, the Graph SDK. */
export interface SagaHarness {
  config: BffConfig
  database: Database
  invitations: InvitationStore
  appUsers: AppUserStore
  tokens: GraphTokenProvider
  /** Milliseconds added to the service's clock (to make retries due without waiting). */
  clockOffsetMs: number
  /** Replication-delay waits the service asked for. */
  sleeps: number[]
  service(options?: {
    config?: Partial<BffConfig>
    mailer?: InvitationMailer
    timing?: Partial<FollowUpTiming>
  }): InviteService
  /** A real caller: signs the user in to the SPA and validates the token as the BFF does. */
  caller(upn: string): Promise<Caller>
  close(): Promise<void>
}

export async function startSagaHarness(emulator: RunningEmulator): Promise<SagaHarness> {
  const config = configForEmulator(emulator, {
    redirectOrigins: [APP_ORIGIN],
    defaultRedirectUrl: `${APP_ORIGIN}/welcome`,
    blockedDomains: ['competitor.example'],
    presets: [
      {
        id: 'apollo',
        label: 'Project Apollo partners',
        groupIds: [seeded.apolloGroupId, seeded.portalGroupId],
        attributes: { usageLocation: 'GB' },
      },
    ],
    dataDir: mkdtempSync(join(tmpdir(), 'bff-saga-')),
    followUpRetryIntervalSeconds: 0,
  })
  const database = await openDatabase({ dataDir: config.dataDir })
  const invitations = createInvitationStore(database)
  const appUsers = createAppUserStore(database)
  const tokens = createGraphTokenProvider(config)
  const validator = createAccessTokenValidator(config)
  // The SDK's own retries stay on, with no wait of their own (Retry-After still applies).
  const graph = createGraphApi({ baseUrl: config.graphBaseUrl, retry: { maxRetries: 2, delaySeconds: 0 } })
  const callers = new Map<string, Caller>()

  const harness: SagaHarness = {
    config,
    database,
    invitations,
    appUsers,
    tokens,
    clockOffsetMs: 0,
    sleeps: [],
    service(options = {}) {
      return createInviteService({
        config: { ...config, ...options.config },
        graph,
        tokens,
        invitations,
        appUsers,
        ...(options.mailer ? { mailer: options.mailer } : {}),
        clock: () => new Date(Date.now() + harness.clockOffsetMs),
        timing: { replicationRetryDelaysMs: [200, 200, 200, 200, 200], ...options.timing },
        sleep: (milliseconds) => {
          harness.sleeps.push(milliseconds)
          return new Promise((resolve) => setTimeout(resolve, milliseconds))
        },
      })
    },
    async caller(upn) {
      let caller = callers.get(upn)
      if (!caller) {
        const { access_token } = await signInToSpa(emulator, upn)
        caller = await validator.validate(`Bearer ${access_token}`)
        callers.set(upn, caller)
      }
      return caller
    },
    async close() {
      await tokens.close()
      await database.close()
    },
  }
  return harness
}
