import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { entraShare } from '../src/plugin.js'
import { emulatorConfig } from './api/harness.js'
import { startTestEmulator } from './support.js'

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())

describe('the entraShare plugin (issue 11: it exposes its services honestly)', () => {
  it('decorates a bare host with its services, which the host reads and which close with it', async () => {
    const host = Fastify({ pluginTimeout: 60_000 })
    await host.register(entraShare, { config: emulatorConfig(emulator) })
    try {
      expect(host.hasDecorator('entraShare')).toBe(true)
      expect(host.hasPlugin('@entra-share/bff')).toBe(true)
      expect(host.entraShare.database.kind).toBe('pglite')
      await expect(host.entraShare.database.ping()).resolves.toBeUndefined()
      // A host route, outside the plugin's encapsulated routes, sees the same services.
      host.get('/host-invitations', async (request) => ({
        same: request.server.entraShare === host.entraShare,
        invitations: (await request.server.entraShare.invitations.list({ limit: 5 })).items.length,
      }))
      const response = await host.inject({ method: 'GET', url: '/host-invitations' })
      expect(response.json()).toEqual({ same: true, invitations: 0 })
    } finally {
      await host.close()
    }
    await expect(host.entraShare.database.ping()).rejects.toThrow()
  })
})
