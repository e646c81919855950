import type { BulkRowReason } from '@entra-share/contracts'
import {
  batchItemError,
  GRAPH_BATCH_LIMIT,
  type GraphApi,
  type GraphBatchRequest,
  type GraphBatchResponse,
  type GraphInvitation,
} from '../graph/graph-api.js'
import { graphProblem, isAlreadyGroupMember } from '../graph/graph-errors.js'
import type { GraphTokenProvider } from '../identity/caller.js'
import {
  type FollowUpStepName,
  followUpIdentitiesAll,
  forbiddenStep,
  type StepIdentity,
} from '../invitations/follow-up-steps.js'
import { isProblemError, type ProblemError } from '../platform/problem-error.js'
import type { BulkJobRecord, BulkRowOutcome, BulkStore, ClaimedBulkRow } from './bulk-store.js'
import type { InviterTokens } from './inviter-tokens.js'

/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface BulkLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface BulkProcessorOptions {
  store: BulkStore
  graph: GraphApi
  tokens: GraphTokenProvider
  inviterTokens: InviterTokens
  /** This process's id: which instance holds an inviter's token. */
  instanceId: string
  /** Whose token runs each follow-up step (as `BffConfig.followUpIdentities`). @default every step `app` */
  followUpIdentities?: Record<FollowUpStepName, StepIdentity>
  logger: BulkLogger
  /** How long a claimed row stays `sending` before another instance presumes this one dead. @default 120 */
  leaseSeconds?: number
  /**
   * How long another instance's claim to an inviter's token holds after it last showed it: past this, a delegated
   * job it no longer serves is paused for re-authentication. @default 60
   */
  holderTimeoutSeconds?: number
  /** Attempts per row before a row that keeps being throttled or failing upstream is failed. @default 10 */
  maxAttempts?: number
  clock?: () => Date
}

/** What one {@link BulkProcessor.runOnce} did. */
export interface BulkRunResult {
  /** Rows claimed (0: nothing was due). */
  claimed: number
  /** Graph asked to wait (a throttled item's `Retry-After`): no new batch before this. */
  throttledUntil?: Date
}

export interface BulkProcessor {
  /** Claims and sends one batch of one job's due rows. */
  runOnce(): Promise<BulkRunResult>
}

const INVITED_WITHOUT_LINK =
  'Invited before an interruption; the redeem URL is unknown: resend the invitation to get a new link.'
const DEFAULT_RETRY_SECONDS = 5
const MAX_FOLLOW_UP_ROUNDS = 3
const FOLLOW_UP_RETRY_MS = 1000

/**
 * The bulk worker's unit of work: picks one running job with due rows, gets the token to act with (the app's own,
 * or On-Behalf-Of the inviter's in-memory token — pausing the job as `paused_reauth` when there is none or it is
 * refused), claims up to 20 rows (committed as `sending` before Graph is called), sends them as one Graph `$batch`
 * of `POST /invitations`, records each item, then adds preset attributes and groups in a second batch.
 *
 * Rows found `sending` past their lease were claimed by an instance that died mid-batch: each is looked up by
 * address first and marked invited if the guest exists, so an address is never invited twice.
 *
 * @example
 * const processor = createBulkProcessor({ store, graph, tokens, inviterTokens, instanceId, logger: app.log })
 * await processor.runOnce() // { claimed: 20 }
 */
export function createBulkProcessor(options: BulkProcessorOptions): BulkProcessor {
  const { store, graph, tokens, inviterTokens, instanceId, logger } = options
  const leaseSeconds = options.leaseSeconds ?? 120
  const holderTimeoutSeconds = options.holderTimeoutSeconds ?? 60
  const maxAttempts = options.maxAttempts ?? 10
  const identities = options.followUpIdentities ?? followUpIdentitiesAll()
  const clock = options.clock ?? (() => new Date())
  const after = (seconds: number) => new Date(clock().getTime() + seconds * 1000)

  /** The Graph token for the job, or `undefined` when the job was paused for re-authentication. */
  async function tokenFor(job: BulkJobRecord): Promise<string | undefined> {
    // The job's tenant is its inviter's: a multi-tenant BFF invites into the caller's directory.
    if (job.mode === 'app') return tokens.appToken(job.invitedBy.tenantId)
    const caller = inviterTokens.get(job.invitedBy)
    if (caller) {
      try {
        return await tokens.graphToken(caller)
      } catch (error) {
        if (!(isProblemError(error) && isReauthProblem(error))) throw error
        inviterTokens.forget(job.invitedBy)
      }
    }
    await store.setJobStatus(job.id, 'running', 'paused_reauth', clock())
    logger.info(
      { bulkJobId: job.id },
      "A bulk job paused: the inviter's token is not available or no longer accepted; it resumes when they return.",
    )
    return undefined
  }

  /** Looks up addresses of rows a dead instance may have sent: a guest found means it was invited. */
  async function reconcile(
    token: string,
    rows: ClaimedBulkRow[],
  ): Promise<{ outcomes: BulkRowOutcome[]; resend: ClaimedBulkRow[] }> {
    const outcomes: BulkRowOutcome[] = []
    const resend: ClaimedBulkRow[] = []
    const answers = await graph.batch(
      token,
      rows.map((row) => ({ id: String(row.rowNumber), method: 'GET', url: userLookupUrl(row.plan.email) })),
    )
    rows.forEach((row, index) => {
      const answer = answers[index] as GraphBatchResponse
      if (answer.status !== 200) {
        outcomes.push(retryLater(row, itemProblem(answer), 'uncertain'))
        return
      }
      const users = (answer.body as { value?: { id: string; userType?: string | null }[] }).value ?? []
      const member = users.find((user) => user.userType === 'Member')
      const guest = users.find((user) => user.userType !== 'Member')
      if (member) {
        outcomes.push({
          rowNumber: row.rowNumber,
          status: 'failed',
          reason: 'already_member',
          detail: `This address already belongs to a member of the organization (object id ${member.id}).`,
        })
      } else if (guest) {
        outcomes.push({
          rowNumber: row.rowNumber,
          status: 'invited',
          invitedUserId: guest.id.toLowerCase(),
          inviteRedeemUrl: null,
          detail: INVITED_WITHOUT_LINK,
        })
      } else {
        resend.push(row)
      }
    })
    return { outcomes, resend }
  }

  function retryLater(
    row: ClaimedBulkRow,
    problem: ProblemError,
    kind: 'pending' | 'uncertain',
  ): BulkRowOutcome {
    const reason = problem.code as BulkRowReason
    if (row.attempts >= maxAttempts) {
      return {
        rowNumber: row.rowNumber,
        status: 'failed',
        reason,
        detail: `Gave up after ${row.attempts} attempts: ${problem.message}`,
      }
    }
    const seconds = problem.extras.retryAfterSeconds ?? DEFAULT_RETRY_SECONDS
    return {
      rowNumber: row.rowNumber,
      status: kind,
      notBefore: after(seconds),
      reason,
      detail: problem.message,
    }
  }

  async function invite(
    token: string,
    rows: ClaimedBulkRow[],
  ): Promise<{
    outcomes: BulkRowOutcome[]
    invited: { row: ClaimedBulkRow; userId: string }[]
    retryAfterSeconds: number
  }> {
    const outcomes: BulkRowOutcome[] = []
    const invited: { row: ClaimedBulkRow; userId: string }[] = []
    let retryAfterSeconds = 0
    if (rows.length === 0) return { outcomes, invited, retryAfterSeconds }
    let answers: GraphBatchResponse[]
    try {
      answers = await graph.batch(
        token,
        rows.map((row) => ({
          id: String(row.rowNumber),
          method: 'POST',
          url: '/invitations',
          body: invitationBody(row),
        })),
      )
    } catch (error) {
      // The envelope failed: some items may have run. Each row is reconciled by lookup before any resend.
      const problem = graphProblem(error)
      logger.warn(
        { code: problem.code },
        'A bulk invitation batch failed as a whole; its rows will be reconciled.',
      )
      return {
        outcomes: rows.map((row) => retryLater(row, problem, 'uncertain')),
        invited,
        retryAfterSeconds,
      }
    }
    rows.forEach((row, index) => {
      const answer = answers[index] as GraphBatchResponse
      if (answer.status === 201 || answer.status === 200) {
        const invitation = answer.body as GraphInvitation
        const userId = invitation.invitedUser.id.toLowerCase()
        invited.push({ row, userId })
        outcomes.push({
          rowNumber: row.rowNumber,
          status: 'invited',
          invitedUserId: userId,
          inviteRedeemUrl: invitation.inviteRedeemUrl,
          detail: null,
        })
      } else if (answer.status === 429) {
        // Throttled items did not run: back to the queue, not before Graph's Retry-After.
        const outcome = retryLater(row, itemProblem(answer), 'pending')
        if (outcome.status === 'pending') {
          retryAfterSeconds = Math.max(
            retryAfterSeconds,
            (outcome.notBefore.getTime() - clock().getTime()) / 1000,
          )
        }
        outcomes.push(outcome)
      } else if (answer.status >= 500) {
        outcomes.push(retryLater(row, itemProblem(answer), 'uncertain'))
      } else {
        const problem = graphProblem(batchItemError(answer))
        outcomes.push({
          rowNumber: row.rowNumber,
          status: 'failed',
          reason: problem.code,
          detail: problem.message,
        })
      }
    })
    return { outcomes, invited, retryAfterSeconds }
  }

  /**
   * Preset attributes and groups of the invited rows, batched per identity (the job's own token for `delegated`
   * steps, the app's for `app` ones); "already exist" is success, a 404 (replication delay) is retried a few times.
   * What still fails is noted in the row's detail.
   */
  async function followUps(
    job: BulkJobRecord,
    jobToken: string,
    invited: { row: ClaimedBulkRow; userId: string }[],
  ): Promise<Map<number, string>> {
    const failures = new Map<number, string>()
    type FollowUpRequest = GraphBatchRequest & {
      rowNumber: number
      what: string
      step: FollowUpStepName
      target?: string
      identity: StepIdentity
    }
    let requests: FollowUpRequest[] = []
    for (const { row, userId } of invited) {
      if (Object.keys(row.plan.attributes).length > 0) {
        requests.push({
          id: `${row.rowNumber}-attributes`,
          method: 'PATCH',
          url: `/users/${encodeURIComponent(userId)}`,
          body: row.plan.attributes,
          rowNumber: row.rowNumber,
          what: 'setting attributes',
          step: 'updateAttributes',
          identity: identities.updateAttributes,
        })
      }
      for (const groupId of row.plan.groupIds) {
        requests.push({
          id: `${row.rowNumber}-${groupId}`,
          method: 'POST',
          url: `/groups/${encodeURIComponent(groupId)}/members/$ref`,
          body: { '@odata.id': graph.directoryObjectReference(userId) },
          rowNumber: row.rowNumber,
          what: `adding to group ${groupId}`,
          step: 'addToGroup',
          target: groupId,
          identity: identities.addToGroup,
        })
      }
    }
    // A job in app mode has no inviter token: its `delegated` steps run with the app's, as the job itself does.
    let appToken: Promise<string> | undefined
    const tokenOf = (identity: StepIdentity): Promise<string> => {
      if (identity === 'delegated' || job.mode === 'app') return Promise.resolve(jobToken)
      appToken ??= tokens.appToken(job.invitedBy.tenantId, 'followUp')
      return appToken
    }
    for (let round = 0; requests.length > 0 && round < MAX_FOLLOW_UP_ROUNDS; round += 1) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, FOLLOW_UP_RETRY_MS * round))
      const again: typeof requests = []
      const chunks: FollowUpRequest[][] = []
      for (const identity of ['app', 'delegated'] as const) {
        const same = requests.filter((request) => request.identity === identity)
        for (let start = 0; start < same.length; start += GRAPH_BATCH_LIMIT)
          chunks.push(same.slice(start, start + GRAPH_BATCH_LIMIT))
      }
      for (const chunk of chunks) {
        let answers: GraphBatchResponse[]
        try {
          const token = await tokenOf((chunk[0] as FollowUpRequest).identity)
          answers = await graph.batch(
            token,
            chunk.map(({ id, method, url, body }) => ({ id, method, url, body })),
          )
        } catch (error) {
          again.push(...chunk)
          for (const request of chunk)
            failures.set(request.rowNumber, `${request.what} failed: ${graphProblem(error).message}`)
          continue
        }
        chunk.forEach((request, index) => {
          const answer = answers[index] as GraphBatchResponse
          if (answer.status < 300 || isAlreadyGroupMember(batchItemError(answer))) return
          const graphFailure = graphProblem(batchItemError(answer))
          const problem =
            graphFailure.code === 'forbidden'
              ? forbiddenStep(request.step, request.identity, request.target)
              : graphFailure
          failures.set(request.rowNumber, `Invited, but ${request.what} failed: ${problem.message}`)
          // Graph's own item statuses: 404 right after the invitation is replication delay, 429 and 5xx pass.
          if (answer.status === 404 || answer.status === 429 || answer.status >= 500) again.push(request)
        })
      }
      for (const request of again) failures.delete(request.rowNumber)
      requests = again
      if (round === MAX_FOLLOW_UP_ROUNDS - 1) {
        for (const request of again)
          failures.set(request.rowNumber, `Invited, but ${request.what} failed after retries.`)
      }
    }
    return failures
  }

  return {
    async runOnce() {
      const now = clock()
      const job = await store.nextDueJob({
        now,
        instanceId,
        holderSeenAfter: new Date(now.getTime() - holderTimeoutSeconds * 1000),
      })
      if (!job) return { claimed: 0 }
      let token: string | undefined
      try {
        token = await tokenFor(job)
      } catch (error) {
        logger.error(
          { err: error, bulkJobId: job.id },
          'No Graph token for a bulk job; it is retried at the next run.',
        )
        return { claimed: 0 }
      }
      if (token === undefined) return { claimed: 1 }

      const rows = await store.claimRows({ jobId: job.id, now, limit: GRAPH_BATCH_LIMIT, leaseSeconds })
      if (rows.length === 0) return { claimed: 0 }
      const outcomes: BulkRowOutcome[] = []
      let toSend = rows.filter((row) => !row.stale)
      const stale = rows.filter((row) => row.stale)
      try {
        if (stale.length > 0) {
          const reconciled = await reconcile(token, stale)
          outcomes.push(...reconciled.outcomes)
          toSend = [...toSend, ...reconciled.resend]
        }
        const sent = await invite(token, toSend)
        outcomes.push(...sent.outcomes)
        // Recorded before the follow-ups: the guests exist now, whatever happens next.
        await store.recordOutcomes(job.id, outcomes, clock())
        if (sent.invited.length > 0) {
          const failures = await followUps(job, token, sent.invited)
          if (failures.size > 0) {
            const updates = outcomes.flatMap((outcome) =>
              outcome.status === 'invited' && failures.has(outcome.rowNumber)
                ? [{ ...outcome, detail: failures.get(outcome.rowNumber) ?? null }]
                : [],
            )
            await store.recordOutcomes(job.id, updates, clock())
          }
        }
        return {
          claimed: rows.length,
          ...(sent.retryAfterSeconds > 0 ? { throttledUntil: after(sent.retryAfterSeconds) } : {}),
        }
      } catch (error) {
        // The rows stay `sending`; once their lease runs out they are reconciled like a dead instance's.
        logger.error({ err: error, bulkJobId: job.id }, 'A bulk batch failed; its rows will be reconciled.')
        return { claimed: rows.length }
      }
    },
  }
}

function itemProblem(answer: GraphBatchResponse): ProblemError {
  return graphProblem(batchItemError(answer))
}

function isReauthProblem(problem: ProblemError): boolean {
  return problem.code === 'unauthenticated' || problem.code === 'claims_challenge'
}

function invitationBody(row: ClaimedBulkRow) {
  const { plan } = row
  return {
    invitedUserEmailAddress: plan.email,
    inviteRedirectUrl: plan.redirectUrl,
    ...(plan.displayName ? { invitedUserDisplayName: plan.displayName } : {}),
    sendInvitationMessage: plan.sendInvitationMessage,
    invitedUserType: 'Guest',
    ...(plan.message ? { invitedUserMessageInfo: { customizedMessageBody: plan.message } } : {}),
  }
}

/** `GET /users` by `mail` or `otherMails`, as a batch item URL ($filter encoded as the SDK's own lookup does). */
function userLookupUrl(email: string): string {
  const literal = `'${email.replaceAll("'", "''")}'`
  const filter = `mail eq ${literal} or otherMails/any(x:x eq ${literal})`
  return `/users?$filter=${encodeURIComponent(filter)}&$select=id,userType,mail`
}
