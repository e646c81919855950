import type { InvitationRemoval } from '@entra-share/contracts'
import type { BffConfig } from '../config.js'
import type { GraphApi } from '../graph/graph-api.js'
import type { GraphTokenProvider } from '../identity/caller.js'
import { runRemovalSteps } from './follow-up-runner.js'
import { presetOf, removalStepsFor } from './governance-policy.js'
import { DEFAULT_RETRY_BACKOFF, type RetryBackoff, settleRemoval } from './invitation-record.js'
import type { InvitationRecord, InvitationStore } from './types.js'

/** A pino-compatible logger's `warn` and `error`. */
interface RemovalLogger {
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface AccessRemovalOptions {
  config: Pick<BffConfig, 'presets'>
  invitations: Pick<InvitationStore, 'update' | 'activeForGuest'>
  graph: GraphApi
  tokens: Pick<GraphTokenProvider, 'appToken'>
  clock?: () => Date
  logger?: RemovalLogger
  /** How long a removal being carried out stays out of the retry queue (its instance may die). @default 300 */
  leaseSeconds?: number
  /** The retries' backoff. @default 30 s doubled per run, at most an hour */
  backoff?: RetryBackoff
}

/**
 * Removing a guest's access, for an expiry and for `DELETE /api/invitations/{id}` alike: {@link AccessRemoval.begin}
 * turns an invitation `removing` with its steps (inside the claim's or the request's transaction), and
 * {@link AccessRemoval.carryOut} runs the steps with the app's token through the follow-up steps' engine, then
 * writes each outcome: `removed`, or `removing` with the failed steps' codes and a retry time.
 */
export interface AccessRemoval {
  /** Changes `record` (fresh, under its row lock) into a removal of `reason`, its steps still to run. */
  begin(
    record: InvitationRecord,
    removal: Pick<InvitationRemoval, 'reason' | 'requestedBy'> & { now: Date },
  ): void
  /** Runs the pending removal steps of `records` (each `removing`, claimed) and writes the outcome of each. */
  carryOut(records: readonly InvitationRecord[]): Promise<InvitationRecord[]>
}

const silent: RemovalLogger = { warn() {}, error() {} }

/**
 * @example
 * const removal = createAccessRemoval({ config, invitations, graph, tokens })
 * const started = await invitations.update(id, (record) => (removal.begin(record, { reason: 'revoked', requestedBy, now }), true))
 * if (started) await removal.carryOut([started])
 */
export function createAccessRemoval(options: AccessRemovalOptions): AccessRemoval {
  const { config, invitations, graph, tokens } = options
  const clock = options.clock ?? (() => new Date())
  const logger = options.logger ?? silent
  const leaseSeconds = options.leaseSeconds ?? 300
  const backoff = options.backoff ?? DEFAULT_RETRY_BACKOFF

  /**
   * Steps that would take away what another of the guest's invitations still grants (a re-invitation with the same
   * preset) are not run: they succeed as kept, and so do a block or a deletion while any other gives access.
   */
  async function keepOthersGrants(record: InvitationRecord): Promise<void> {
    const pending = (record.removal?.steps ?? []).filter((step) => step.status !== 'succeeded')
    if (pending.length === 0) return
    const others = await invitations.activeForGuest(record.invitedUserId, record.id)
    for (const step of pending) {
      const keeper = others.find((other) =>
        step.name === 'removeFromGroup'
          ? other.groupIds.includes(step.target ?? '')
          : step.name === 'removeAppRole'
            ? other.appRoles.some((grant) => grant.appRoleId === step.target)
            : step.name === 'removeLicense'
              ? other.licenses.some((license) => license.skuId === step.target)
              : true,
      )
      if (!keeper) continue
      step.status = 'succeeded'
      delete step.code
      step.detail = `Kept: the guest's invitation ${keeper.id} still grants it.`
    }
  }

  return {
    begin(record, { reason, requestedBy, now }) {
      record.status = 'removing'
      record.removal = {
        reason,
        requestedAt: now.toISOString(),
        requestedBy,
        completedAt: null,
        steps: removalStepsFor(record, presetOf(config, record)),
      }
      // Nothing left to remind of or review; a follow-up still pending is not finished any more (the retrier passes
      // it over).
      record.remindAt = null
      record.reviewAt = null
      if (record.review) record.review = { ...record.review, nextReviewAt: null }
      record.retryAttempts = 0
      // Claimed: out of the retry queue while it is carried out; after a crash, the retry queue takes it over.
      record.nextRetryAt = new Date(now.getTime() + leaseSeconds * 1000).toISOString()
      record.updatedAt = now.toISOString()
    },

    async carryOut(records) {
      const appTokens = new Map<string, Promise<string>>()
      const tokenIn = (tenantId: string) => {
        let token = appTokens.get(tenantId)
        if (!token) {
          token = tokens.appToken(tenantId, 'followUp')
          // A refused token is asked for again at the next retry, not reused.
          token.catch(() => appTokens.delete(tenantId))
          appTokens.set(tenantId, token)
        }
        return token
      }
      const written: InvitationRecord[] = []
      for (const record of records) {
        try {
          await keepOthersGrants(record)
          const retryAfter = await runRemovalSteps([record], {
            graph,
            tokenFor: () => tokenIn(record.invitedBy.tenantId),
            replicationRetryDelaysMs: [],
            sleep: async () => {},
            logger,
          })
          record.retryAttempts += 1
          settleRemoval(record, clock(), backoff, retryAfter.get(record.id) ?? 0)
          const saved = await invitations.update(record.id, (fresh) => {
            if (fresh.status !== 'removing') return false
            fresh.status = record.status
            fresh.removal = record.removal
            fresh.retryAttempts = record.retryAttempts
            fresh.nextRetryAt = record.nextRetryAt
            fresh.updatedAt = record.updatedAt
            return true
          })
          written.push(saved ?? record)
        } catch (error) {
          // The claim's lease runs out and a later run carries the removal out.
          logger.error(
            { err: error, invitationId: record.id },
            'A removal of access could not be carried out.',
          )
          written.push(record)
        }
      }
      return written
    },
  }
}
