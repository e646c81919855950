import type { Invitation } from '@entra-share/contracts'
import Fastify from 'fastify'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { entraShare } from '../../src/plugin.js'
import { mimeParts, startSmtpSink } from '../email/smtp-sink.js'
import { seeded, startTestEmulator } from '../support.js'
import { emulatorConfig, startHarness } from './harness.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
type Emulator = Awaited<ReturnType<typeof startTestEmulator>>

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())

describe('deployment shapes', () => {
  it('mounts into a host Fastify app without taking over its error handling', async () => {
    // The embedded database opens inside the plugin: give a slow (or busy) machine more than Fastify's default 10 s.
    const host = Fastify({ pluginTimeout: 60_000 })
    host.get('/host-route', async () => {
      throw Object.assign(new Error('host failure'), { statusCode: 418 })
    })
    await host.register(entraShare, { config: emulatorConfig(emulator) })
    try {
      expect((await host.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
      const ours = await host.inject({ method: 'POST', url: '/api/invitations', payload: {} })
      expect(ours.headers['content-type']).toMatch(/^application\/problem\+json/)
      const theirs = await host.inject({ method: 'GET', url: '/host-route' })
      expect(theirs.statusCode).toBe(418)
      expect(theirs.headers['content-type']).toMatch(/^application\/json/)
    } finally {
      await host.close()
    }
  })

  it('sends its own invitation email over SMTP when Microsoft’s is suppressed', async () => {
    const sink = await startSmtpSink()
    const harness = await startHarness({
      emulator,
      config: { emailMode: 'smtp', smtp: { url: sink.url, from: 'invites@lob.contoso.example' } },
    })
    try {
      const outboxBefore = emulator.context.directory.outbox.length
      const response = await harness.invite(seeded.inviter.upn, {
        email: 'smtp-guest@fabrikam.example',
        displayName: 'Smtp Guest',
        message: 'Welcome to <b>Apollo</b>',
      })
      expect(response.statusCode).toBe(201)
      const invitation = response.json() as Invitation
      expect(invitation).toMatchObject({ emailSentByMicrosoft: false, emailSentByBff: true })
      expect(emulator.context.directory.outbox.length).toBe(outboxBefore) // Microsoft sent nothing
      expect(sink.messages).toHaveLength(1)
      const [message] = sink.messages
      expect(message?.to).toEqual(['smtp-guest@fabrikam.example'])
      const text = mimeParts(message?.raw ?? '').find((part) => part.contentType.startsWith('text/plain'))
      expect(text?.body).toContain(invitation.inviteRedeemUrl)
      expect(text?.body).toContain('Welcome to <b>Apollo</b>')
    } finally {
      await harness.close()
      await sink.close()
    }
  })

  it('shares rate limits between instances through Redis', async () => {
    const redis = new Redis(REDIS_URL)
    const forgetCounters = async () => {
      const keys = await redis.keys('entra-share-rate-*')
      if (keys.length > 0) await redis.del(...keys)
    }
    await forgetCounters()
    const config = { redisUrl: REDIS_URL, rateLimits: { perUserPerMinute: 2, perTenantPerMinute: 100 } }
    const a = await startHarness({ emulator, config })
    const b = await startHarness({ emulator, config })
    try {
      expect((await a.invite(seeded.inviter.upn, { email: 'shared1@fabrikam.example' })).statusCode).toBe(201)
      expect((await b.invite(seeded.inviter.upn, { email: 'shared2@fabrikam.example' })).statusCode).toBe(201)
      const third = await a.invite(seeded.inviter.upn, { email: 'shared3@fabrikam.example' })
      expect(third.statusCode).toBe(429)
    } finally {
      await a.close()
      await b.close()
      await forgetCounters()
      await redis.quit()
    }
  })
})
