import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { type BuildAppOptions, buildApp } from '../../src/app.js'
import type { BffConfig } from '../../src/config.js'
import { configForEmulator } from '../../src/testing/index.js'
import { seeded, startTestEmulator } from '../support.js'

export const SPA_ORIGIN = 'http://127.0.0.1:5173'
export const APP_ORIGIN = 'https://app.contoso.example'

/** The emulator's BFF configuration with a preset, a domain rule and room for every test's traffic. */
export function emulatorConfig(emulator: RunningEmulator, overrides: Partial<BffConfig> = {}): BffConfig {
  return configForEmulator(emulator, {
    corsOrigins: [SPA_ORIGIN],
    redirectOrigins: [APP_ORIGIN],
    defaultRedirectUrl: `${APP_ORIGIN}/welcome`,
    blockedDomains: ['competitor.example'],
    presets: [
      {
        id: 'apollo',
        label: 'Project Apollo partners',
        groupIds: [seeded.apolloGroupId],
        attributes: { usageLocation: 'GB' },
      },
      {
        id: 'admins-only',
        label: 'Portal',
        groupIds: [seeded.portalGroupId],
        allowedRoles: ['Invitations.Admin'],
      },
    ],
    dataDir: mkdtempSync(join(tmpdir(), 'bff-api-')),
    rateLimits: { perUserPerMinute: 1000, perTenantPerMinute: 10_000 },
    followUpRetryIntervalSeconds: 0,
    acceptanceCheckIntervalSeconds: 0,
    governanceIntervalSeconds: 0,
    ...overrides,
  })
}

/** An emulator, a BFF built on it, and signed-in users' tokens. */
export interface Harness {
  emulator: RunningEmulator
  app: FastifyInstance
  config: BffConfig
  /** A real token for the BFF scope, through the emulator's auth code + PKCE flow (cached per user). */
  tokenFor(upn: string): Promise<string>
  /** POST /api/invitations as `upn` with a fresh Idempotency-Key unless one is given. */
  invite(
    upn: string,
    body: Record<string, unknown>,
    options?: { idempotencyKey?: string | null; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>
  get(upn: string, url: string): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export async function startHarness(
  options: { config?: Partial<BffConfig>; app?: BuildAppOptions; emulator?: RunningEmulator } = {},
): Promise<Harness> {
  const emulator = options.emulator ?? (await startTestEmulator())
  const config = emulatorConfig(emulator, options.config)
  const app = await buildApp(config, options.app)
  const tokens = new Map<string, string>()
  const tokenFor = async (upn: string) => {
    let token = tokens.get(upn)
    if (!token) {
      token = (await signInToSpa(emulator, upn)).access_token
      tokens.set(upn, token)
    }
    return token
  }
  return {
    emulator,
    app,
    config,
    tokenFor,
    async invite(upn, body, requestOptions = {}) {
      const key = requestOptions.idempotencyKey === undefined ? randomUUID() : requestOptions.idempotencyKey
      return app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: {
          authorization: `Bearer ${await tokenFor(upn)}`,
          ...(key !== null ? { 'idempotency-key': key } : {}),
          ...requestOptions.headers,
        },
        payload: body,
      })
    },
    async get(upn, url) {
      return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await tokenFor(upn)}` } })
    },
    async close() {
      await app.close()
      if (!options.emulator) await emulator.close()
    },
  }
}
