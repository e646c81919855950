import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSeed, loadSeedFile, parseSeed, SeedError } from '../src/state/seed.js'

const tenant = defaultSeed.tenants[0] as (typeof defaultSeed.tenants)[number]

describe('seed validation', () => {
  it('accepts the default seed', () => {
    expect(defaultSeed.tenants.map((t) => t.displayName)).toEqual(['Contoso', 'Tailspin Toys'])
  })

  it('names the JSON path of a schema error', () => {
    const bad = { tenants: [{ ...tenant, settings: { allowInvitesFrom: 'anyone' } }] }
    expect(() => parseSeed(bad, 'my-seed.json')).toThrow(SeedError)
    expect(() => parseSeed(bad, 'my-seed.json')).toThrow(
      /^my-seed\.json: \/tenants\/0\/settings\/allowInvitesFrom: /,
    )
  })

  it('refuses a group member that is not a user of the tenant', () => {
    const stranger = '99999999-0000-4000-8000-000000000000'
    const bad = {
      tenants: [
        {
          ...tenant,
          groups: [{ id: '99999999-0000-4000-8000-000000000001', displayName: 'G', members: [stranger] }],
        },
      ],
    }
    expect(() => parseSeed(bad)).toThrow(
      `group G lists member ${stranger}, which is not a user or another group of tenant Contoso`,
    )
  })

  it('refuses an object id used twice', () => {
    const user = tenant.users[0] as (typeof tenant.users)[number]
    const bad = {
      tenants: [{ ...tenant, users: [user, { ...user, userPrincipalName: 'other@contoso.example' }] }],
    }
    expect(() => parseSeed(bad)).toThrow(`id ${user.id} is used twice`)
  })

  it('refuses a confidential client without a secret', () => {
    const bad = {
      tenants: [
        { ...tenant, applications: [{ clientId: tenant.id, displayName: 'API', kind: 'confidential' }] },
      ],
    }
    expect(() => parseSeed(bad)).toThrow('application API is confidential but has no clientSecrets')
  })

  it('reports a file that is not JSON with its path', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'seed-')), 'broken.json')
    writeFileSync(path, '{ "tenants": [')
    expect(() => loadSeedFile(path)).toThrow(`${path}: cannot read the seed file as JSON`)
  })
})
