import { toIsoString } from '../platform/timestamps.js'
import type { Queryable } from '../platform/types.js'
import type { AppUser, AppUserStore } from './types.js'

interface AppUserRow {
  object_id: string
  email: string
  display_name: string | null
  user_type: AppUser['userType']
  external_user_state: AppUser['externalUserState']
  invited_by_tenant_id: string
  invited_by_object_id: string
  created_at: unknown
  updated_at: unknown
}

/**
 * The app's own user table, keyed by the guest's Entra object id. Guests are written by
 * `InvitationStore.createWithGuest`, together with their invitation; this store reads them and records state changes.
 *
 * @example
 * const users = createAppUserStore(db)
 * await users.setExternalUserState(invitedUserId, 'Accepted')
 * const guest = await users.get(invitedUserId)
 */
export function createAppUserStore(db: Queryable): AppUserStore {
  return {
    async get(objectId) {
      const [row] = await db.query<AppUserRow>('SELECT * FROM app_users WHERE object_id = $1', [objectId])
      return row ? toAppUser(row) : null
    },

    async setExternalUserState(objectId, state) {
      // An unknown object id changes nothing: the guest is recorded only once an invitation for it is.
      await db.query(
        'UPDATE app_users SET external_user_state = $2, updated_at = now() WHERE object_id = $1',
        [objectId, state],
      )
    },
  }
}

function toAppUser(row: AppUserRow): AppUser {
  return {
    objectId: row.object_id,
    email: row.email,
    displayName: row.display_name,
    userType: row.user_type,
    externalUserState: row.external_user_state,
    invitedByTenantId: row.invited_by_tenant_id,
    invitedByObjectId: row.invited_by_object_id,
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
  }
}
