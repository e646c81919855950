import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppUserStore } from '../../src/invitations/app-user-store.js'
import { createInvitationStore } from '../../src/invitations/invitation-store.js'
import type { AppUserStore } from '../../src/invitations/types.js'
import type { Database } from '../../src/platform/types.js'
import { createTestLocation, databaseKinds, type TestDatabaseLocation } from '../platform/databases.js'
import { makeGuest, makeInvitation } from './fixtures.js'

describe.each(databaseKinds)('app user store on %s', (kind) => {
  let location: TestDatabaseLocation
  let db: Database
  let users: AppUserStore

  beforeAll(async () => {
    location = await createTestLocation(kind, 'app_users')
    db = await location.open()
    users = createAppUserStore(db)
  })
  afterAll(async () => {
    await location?.cleanup()
  })

  it('reads a guest recorded with its invitation, keyed by object id', async () => {
    const guest = makeGuest()
    await createInvitationStore(db).createWithGuest(makeInvitation(guest), guest)
    expect(await users.get(guest.objectId)).toEqual(guest)
  })

  it('answers null for an object id it never recorded', async () => {
    expect(await users.get(randomUUID())).toBeNull()
  })

  it("records the guest's new state and when it changed, touching nothing else", async () => {
    const guest = makeGuest({ updatedAt: '2020-01-01T00:00:00.000Z', createdAt: '2020-01-01T00:00:00.000Z' })
    await createInvitationStore(db).createWithGuest(makeInvitation(guest), guest)

    await users.setExternalUserState(guest.objectId, 'Accepted')

    const updated = await users.get(guest.objectId)
    expect(updated).toEqual({ ...guest, externalUserState: 'Accepted', updatedAt: expect.any(String) })
    expect(Date.parse(updated?.updatedAt ?? '')).toBeGreaterThan(Date.parse(guest.updatedAt))
  })

  it('ignores a state change for an unknown guest rather than inventing one', async () => {
    const objectId = randomUUID()
    await expect(users.setExternalUserState(objectId, 'Accepted')).resolves.toBeUndefined()
    expect(await users.get(objectId)).toBeNull()
  })
})
