import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { seeded, startTestEmulator } from './support.js'

describe('emulator core', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())

  it('serves https with a certificate from its local CA (trusted through NODE_EXTRA_CA_CERTS)', async () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${emulator.url}/_emulator/state`)
    expect(response.status).toBe(200)
    const state = (await response.json()) as { tenants: Array<{ id: string }> }
    expect(state.tenants.map((tenant) => tenant.id)).toContain(seeded.contosoTenantId)
  })

  it('prints MSAL settings for the first tenant', () => {
    const { settings } = emulator
    expect(settings.authority).toBe(`${emulator.url}/${seeded.contosoTenantId}`)
    expect(settings.knownAuthorities).toEqual([`127.0.0.1:${emulator.port}`])
    expect(JSON.parse(settings.authorityMetadata).issuer).toBe(
      `${emulator.url}/${seeded.contosoTenantId}/v2.0`,
    )
    expect(settings.bffScope).toBe(seeded.bffScope)
  })

  it('refuses an invalid fault configuration with a message naming the option', async () => {
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ throttle: [{ percent: 140 }] }),
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { message: string }).message).toBe(
      'faults.throttle[0].percent: expected a number from 0 to 100',
    )
  })
})
