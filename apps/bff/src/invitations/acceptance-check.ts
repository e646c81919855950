import { GRAPH_BATCH_LIMIT, type GraphApi } from '../graph/graph-api.js'
import type { GraphTokenProvider } from '../identity/caller.js'
import { toExternalUserState } from './invitation-record.js'
import type { AppUserStore, InvitationRecord, InvitationStore } from './types.js'

/** How the acceptance check paces itself. */
export interface AcceptanceCheckSettings {
  /** Invitations checked per run, at most (each is one `$batch` item: 20 per Graph request). @default 200 */
  perRun: number
  /** A guest is checked again no sooner than this, seconds. @default 3600 */
  recheckAfterSeconds: number
  /** Invitations older than this are no longer checked, days (a resend or a read checks them). @default 90 */
  maxAgeDays: number
}

export const DEFAULT_ACCEPTANCE_CHECK: AcceptanceCheckSettings = {
  perRun: 200,
  recheckAfterSeconds: 3600,
  maxAgeDays: 90,
}

export interface AcceptanceCheckResult {
  checked: number
  /** Invitations whose guest is now seen to have redeemed (each saved, which writes `guest.accepted`). */
  accepted: number
}

export interface AcceptanceCheckOptions {
  invitations: Pick<InvitationStore, 'claimPendingAcceptance' | 'get' | 'save'>
  appUsers: Pick<AppUserStore, 'setExternalUserState'>
  graph: Pick<GraphApi, 'batch'>
  tokens: Pick<GraphTokenProvider, 'appToken'>
  settings?: Partial<AcceptanceCheckSettings>
  clock?: () => Date
  logger?: { warn(details: object, message: string): void }
}

/**
 * Notices guests who redeemed their invitation: a bounded, scheduled check of the invitations whose guest has not
 * accepted yet, least recently checked first, reading each guest's `externalUserState` with the app's own token,
 * 20 to a Graph `$batch`. A guest seen `Accepted` has its invitation saved so, which writes the `guest.accepted`
 * event in the same transaction.
 *
 * Why not Graph's delta query on users: a delta round walks every changed user of the tenant (members included) and
 * keeps one delta link per tenant; this check costs one batch item per guest the app itself invited and is still
 * waiting for, bounded per run, and needs only `User.Read.All`/`Directory.Read.All` for the app.
 *
 * @example
 * const check = createAcceptanceCheck({ invitations, appUsers, graph, tokens })
 * const { checked, accepted } = await check.run()
 */
export function createAcceptanceCheck(options: AcceptanceCheckOptions): {
  run(): Promise<AcceptanceCheckResult>
} {
  const { invitations, appUsers, graph, tokens } = options
  const settings = { ...DEFAULT_ACCEPTANCE_CHECK, ...options.settings }
  const clock = options.clock ?? (() => new Date())

  async function checkTenant(tenantId: string, records: InvitationRecord[]): Promise<number> {
    const token = await tokens.appToken(tenantId, 'followUp')
    let accepted = 0
    for (let start = 0; start < records.length; start += GRAPH_BATCH_LIMIT) {
      const chunk = records.slice(start, start + GRAPH_BATCH_LIMIT)
      const answers = await graph.batch(
        token,
        chunk.map((record, index) => ({
          id: String(index + 1),
          method: 'GET',
          url: `/users/${encodeURIComponent(record.invitedUserId)}?$select=id,externalUserState`,
        })),
      )
      for (const [index, answer] of answers.entries()) {
        const record = chunk[index] as InvitationRecord
        // A throttled or failed item is simply checked again at a later run; a deleted guest is left as it was.
        if (answer.status !== 200) continue
        const state = toExternalUserState((answer.body as { externalUserState?: unknown }).externalUserState)
        if (state === record.externalUserState) continue
        // Read again right before saving: the retrier or a request may have changed the record since the claim.
        const fresh = (await invitations.get(record.id)) ?? record
        fresh.externalUserState = state
        fresh.updatedAt = clock().toISOString()
        await invitations.save(fresh)
        await appUsers.setExternalUserState(record.invitedUserId, state)
        if (state === 'Accepted') accepted += 1
      }
    }
    return accepted
  }

  return {
    async run() {
      const now = clock()
      const due = await invitations.claimPendingAcceptance({
        limit: settings.perRun,
        now,
        recheckAfterSeconds: settings.recheckAfterSeconds,
        createdSince: new Date(now.getTime() - settings.maxAgeDays * 86_400_000),
      })
      const byTenant = new Map<string, InvitationRecord[]>()
      for (const record of due) {
        const list = byTenant.get(record.invitedBy.tenantId) ?? []
        list.push(record)
        byTenant.set(record.invitedBy.tenantId, list)
      }
      let accepted = 0
      for (const [tenantId, records] of byTenant) {
        try {
          accepted += await checkTenant(tenantId, records)
        } catch (error) {
          options.logger?.warn(
            { err: error, tenantId },
            "Guests' redemption could not be checked in a tenant; they are checked again later.",
          )
        }
      }
      return { checked: due.length, accepted }
    },
  }
}
