import type { BulkRowReason } from '@entra-share/contracts'
import type { GroupPreset } from '../config.js'
import { acceptLanguageTags } from '../email/locales.js'
import { sendInvitationEmail } from '../email/send-invitation-email.js'
import type { InvitationMailer } from '../email/types.js'
import {
  batchItemError,
  GRAPH_BATCH_LIMIT,
  type GraphApi,
  type GraphBatchRequest,
  type GraphBatchResponse,
  type GraphInvitation,
} from '../graph/graph-api.js'
import { graphProblem } from '../graph/graph-errors.js'
import type { GraphTokenProvider } from '../identity/caller.js'
import { runFollowUpSteps, type StepTokens } from '../invitations/follow-up-runner.js'
import {
  type FollowUpStepName,
  followUpIdentitiesAll,
  type StepIdentity,
} from '../invitations/follow-up-steps.js'
import { accessTermFor, presetOf } from '../invitations/governance-policy.js'
import {
  DEFAULT_REPLICATION_RETRY_DELAYS_MS,
  DEFAULT_RETRY_BACKOFF,
  type GraphAnswer,
  newInvitationRecord,
  type RetryBackoff,
  settleInvitation,
} from '../invitations/invitation-record.js'
import type { PresetGrantResolver, PresetGrants } from '../invitations/preset-grants.js'
import type { AppUser, InvitationRecord, InvitationStore } from '../invitations/types.js'
import { isProblemError, type ProblemError } from '../platform/problem-error.js'
import type { BulkRowPlan } from './bulk-row-plan.js'
import type { BulkJobRecord, BulkRowOutcome, BulkStore, ClaimedBulkRow } from './bulk-store.js'
import { createGraphPacer, type GraphPacer } from './graph-pacer.js'
import type { InviterTokens } from './inviter-tokens.js'

/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface BulkLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface BulkProcessorOptions {
  store: BulkStore
  /** Where every invited row becomes an invitation, as a single invite's does (listed, resent, retried). */
  invitations: InvitationStore
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
   * Seconds between the two lookups by address that must both find no guest before a row that may have been sent is
   * invited again (Graph's replicas may not show a guest it has just invited). @default 30
   */
  reconcileSettleSeconds?: number
  /**
   * How long another instance's claim to an inviter's token holds after it last showed it: past this, a delegated
   * job it no longer serves is paused for re-authentication. @default 60
   */
  holderTimeoutSeconds?: number
  /**
   * A row that keeps failing upstream (5xx, lost answers) is failed once it has had this many attempts **and**
   * `giveUpAfterSeconds` have passed since its first. Past this many it is retried at most once a minute.
   * A throttled request (429) is not an attempt: Graph did not run it. @default 10
   */
  maxAttempts?: number
  /** See `maxAttempts`: how long a row failing upstream is retried before it is failed. @default 900 */
  giveUpAfterSeconds?: number
  /** `smtp`: the BFF emails each invited row that asked for an email, as for single invitations. @default 'microsoft' */
  emailMode?: 'microsoft' | 'smtp' | 'none'
  /** Required in email mode `smtp`. */
  mailer?: InvitationMailer
  /** The follow-up retrier's backoff, for the invitations whose steps are still pending after the batch. */
  retryBackoff?: RetryBackoff
  /** Waits before retrying a follow-up that got a 404 (replication delay). @default [250, 500, 1000, 2000] */
  replicationRetryDelaysMs?: readonly number[]
  /**
   * The pacer of a tenant's Graph budget (app+tenant), shared by every batch this instance keeps in flight for that
   * tenant. @default one {@link createGraphPacer} per tenant
   */
  pacerFor?: (tenantId: string) => GraphPacer
  /** The licences and app roles of the rows' presets in the job's tenant. @default none are granted */
  grants?: Pick<PresetGrantResolver, 'grantsForPresetId'>
  /** The presets, for each row's access term (`accessDays`: the guest's access expires). @default none expire */
  presets?: readonly GroupPreset[]
  clock?: () => Date
  sleep?: (milliseconds: number) => Promise<void>
}

/** What one {@link BulkProcessor.runOnce} did. */
export interface BulkRunResult {
  /** Rows claimed (0: nothing was due). */
  claimed: number
  /** Graph asked to wait (a throttled item's `Retry-After`): no new batch before this. */
  throttledUntil?: Date
}

export interface BulkProcessor {
  /**
   * Claims and sends one batch of one job's due rows, once the pacer has room for it; several may run at once.
   * `signal` abandons the wait for room (nothing is claimed then); a batch already claimed always finishes.
   */
  runOnce(signal?: AbortSignal): Promise<BulkRunResult>
}

const DEFAULT_RETRY_SECONDS = 5
/** The least wait between the attempts of a row past `maxAttempts` (still inside `giveUpAfterSeconds`). */
const PERSISTENT_RETRY_SECONDS = 60
const NOT_FOUND_YET_DETAIL =
  'No guest with this address was found yet; Graph may not show a guest it has just invited, so the address is ' +
  'looked up once more before it is invited again.'
/** Runs of a batch's follow-ups while Graph throttles some (each after its `Retry-After`); then the retrier's turn. */
const FOLLOW_UP_THROTTLE_RUNS = 3
const AWAITING_BUDGET = "Waiting for room in Microsoft Graph's throttle budget; it is sent shortly."

/**
 * The bulk worker's unit of work: picks the running job with due rows served least recently (so jobs take turns),
 * gets the token to act with (the app's own, or On-Behalf-Of the inviter's in-memory token — pausing the job as
 * `paused_reauth` when there is none or it is refused), waits for room in its tenant's pacer, claims up to 20 rows
 * (fewer while the pace is low; committed as `sending` before Graph is called), sends them as one Graph `$batch`
 * of `POST /invitations`, records each item — an invited row as an invitation like a single one, in the same
 * transaction — then runs the follow-up steps with the single invite's runner, packed into `$batch` requests that
 * wait their turn at the pacer too. Steps Graph throttled run again after its `Retry-After`; steps still failing stay `pending` on their
 * invitation for the follow-up retrier. Every answer's throttle headers go to the pacer.
 *
 * Rows found `sending` past their lease were claimed by an instance that died mid-batch: each is looked up by
 * address first and marked invited if the guest exists, so an address is never invited twice. Rows not sent within
 * half their lease (a long wait for the budget) go back to the queue unsent rather than risk a second claim.
 *
 * @example
 * const processor = createBulkProcessor({ store, graph, tokens, inviterTokens, instanceId, logger: app.log })
 * await processor.runOnce() // { claimed: 20 }
 */
export function createBulkProcessor(options: BulkProcessorOptions): BulkProcessor {
  const { store, graph, tokens, inviterTokens, instanceId, logger } = options
  const leaseSeconds = options.leaseSeconds ?? 120
  const reconcileSettleSeconds = options.reconcileSettleSeconds ?? 30
  const holderTimeoutSeconds = options.holderTimeoutSeconds ?? 60
  const maxAttempts = options.maxAttempts ?? 10
  const giveUpAfterSeconds = options.giveUpAfterSeconds ?? 900
  const identities = options.followUpIdentities ?? followUpIdentitiesAll()
  const { invitations, mailer } = options
  const presets = options.presets ?? []
  /** A row's access term: its preset's whole `accessDays` (a file has no column asking for fewer days). */
  const termOf = (presetId: string | null, now: Date) => {
    const preset = presetOf({ presets }, { presetId })
    return accessTermFor(preset, preset?.accessDays ?? null, now)
  }
  const emailMode = options.emailMode ?? 'microsoft'
  const retryBackoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF
  const replicationRetryDelaysMs = options.replicationRetryDelaysMs ?? DEFAULT_REPLICATION_RETRY_DELAYS_MS
  const sleep =
    options.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)))
  const clock = options.clock ?? (() => new Date())
  const after = (seconds: number) => new Date(clock().getTime() + seconds * 1000)
  const pacers = new Map<string, GraphPacer>()
  const pacerFor =
    options.pacerFor ??
    ((tenantId: string) => {
      const pacer = pacers.get(tenantId) ?? createGraphPacer()
      pacers.set(tenantId, pacer)
      return pacer
    })
  /** A batch whose requests were acquired from the pacer: sent, its throttle headers read. */
  const send = (pacer: GraphPacer, token: string, requests: readonly GraphBatchRequest[]) =>
    pacer.track(() => graph.batch(token, requests))
  /** Graph as the follow-up runner sees it: each of its batches waits for the pacer first. */
  const pacedGraph = (pacer: GraphPacer): GraphApi => ({
    ...graph,
    async batch(token, requests) {
      await pacer.acquire(requests.length, { ahead: true })
      return send(pacer, token, requests)
    },
  })

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
    // A cancelled job's rows in flight wait for the inviter's return to be looked up; the job stays cancelled.
    if (job.status !== 'running') return undefined
    await store.setJobStatus(job.id, 'running', 'paused_reauth', clock())
    logger.info(
      { bulkJobId: job.id },
      "A bulk job paused: the inviter's token is not available or no longer accepted; it resumes when they return.",
    )
    return undefined
  }

  /**
   * Looks up addresses of rows a dead instance (or a lost answer) may have sent: a guest found means it was invited.
   * A row is invited again only after two lookups, `reconcileSettleSeconds` apart, both found no guest.
   */
  async function reconcile(
    pacer: GraphPacer,
    token: string,
    rows: ClaimedBulkRow[],
  ): Promise<{ outcomes: BulkRowOutcome[]; resend: ClaimedBulkRow[]; found: InvitedRow[] }> {
    const outcomes: BulkRowOutcome[] = []
    const resend: ClaimedBulkRow[] = []
    const found: InvitedRow[] = []
    const answers = await send(
      pacer,
      token,
      rows.map((row) => ({ id: String(row.rowNumber), method: 'GET', url: userLookupUrl(row.plan.email) })),
    )
    rows.forEach((row, index) => {
      const answer = answers[index] as GraphBatchResponse
      if (answer.status !== 200) {
        outcomes.push(retryLater(row, itemProblem(answer), 'uncertain', answer.status === 429))
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
        // Its invitation is recorded without Graph's answer: the results say the link is unknown until a resend.
        found.push({ row, userId: guest.id.toLowerCase(), graph: null })
        outcomes.push({ rowNumber: row.rowNumber, status: 'invited' })
      } else if (row.notFoundBefore) {
        resend.push(row)
      } else {
        // Graph may have invited this guest moments ago and its replicas not show it yet: look once more later.
        outcomes.push({
          rowNumber: row.rowNumber,
          status: 'uncertain',
          notBefore: after(reconcileSettleSeconds),
          reason: null,
          detail: NOT_FOUND_YET_DETAIL,
          unattempted: true,
          notFound: true,
        })
      }
    })
    return { outcomes, resend, found }
  }

  /**
   * A row back to the queue after a transient failure, not before Graph's `Retry-After`. `throttled`: Graph refused
   * the request without running it (429), which is not one of the row's attempts. Otherwise the row is failed once it
   * has had `maxAttempts` attempts over at least `giveUpAfterSeconds`; between the two, it waits at least a minute.
   */
  function retryLater(
    row: ClaimedBulkRow,
    problem: ProblemError,
    kind: 'pending' | 'uncertain',
    throttled = false,
  ): BulkRowOutcome {
    const reason = problem.code as BulkRowReason
    const now = clock()
    const triedSeconds = (now.getTime() - row.firstAttemptAt.getTime()) / 1000
    if (!throttled && row.attempts >= maxAttempts && triedSeconds >= giveUpAfterSeconds) {
      return {
        rowNumber: row.rowNumber,
        status: 'failed',
        reason,
        detail: `Gave up after ${row.attempts} attempts over ${durationText(triedSeconds)}: ${problem.message}`,
      }
    }
    const retryAfter = problem.extras.retryAfterSeconds ?? DEFAULT_RETRY_SECONDS
    const seconds =
      !throttled && row.attempts >= maxAttempts ? Math.max(retryAfter, PERSISTENT_RETRY_SECONDS) : retryAfter
    const retry = {
      rowNumber: row.rowNumber,
      notBefore: new Date(now.getTime() + seconds * 1000),
      reason,
      detail: problem.message,
      ...(throttled ? { unattempted: true } : {}),
    }
    return kind === 'pending' ? { ...retry, status: 'pending' } : { ...retry, status: 'uncertain' }
  }

  async function invite(
    pacer: GraphPacer,
    token: string,
    job: BulkJobRecord,
    rows: ClaimedBulkRow[],
  ): Promise<{
    outcomes: BulkRowOutcome[]
    invited: InvitedRow[]
    retryAfterSeconds: number
  }> {
    const outcomes: BulkRowOutcome[] = []
    const invited: InvitedRow[] = []
    let retryAfterSeconds = 0
    if (rows.length === 0) return { outcomes, invited, retryAfterSeconds }
    let answers: GraphBatchResponse[]
    try {
      answers = await send(
        pacer,
        token,
        rows.map((row) => ({
          id: String(row.rowNumber),
          method: 'POST',
          url: '/invitations',
          // The inviter sponsors the guest, as for a single invitation; a delegated job's inviter is a signed-in user
          // (an app-mode job may be an application's, which cannot sponsor).
          body: invitationBody(row, job.mode === 'delegated' ? [job.invitedBy.objectId] : []),
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
        // A throttled envelope ran none of its items: they only go back to the queue.
        outcomes: rows.map((row) =>
          problem.code === 'graph_throttled'
            ? retryLater(row, problem, 'pending', true)
            : retryLater(row, problem, 'uncertain'),
        ),
        invited,
        retryAfterSeconds,
      }
    }
    rows.forEach((row, index) => {
      const answer = answers[index] as GraphBatchResponse
      if (answer.status === 201 || answer.status === 200) {
        const invitation = answer.body as GraphInvitation
        const userId = invitation.invitedUser.id.toLowerCase()
        invited.push({ row, userId, graph: invitation })
        outcomes.push({ rowNumber: row.rowNumber, status: 'invited' })
      } else if (answer.status === 429) {
        // Throttled items did not run: back to the queue, not before Graph's Retry-After, and not an attempt.
        const outcome = retryLater(row, itemProblem(answer), 'pending', true)
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

  /** The invitation records of the rows Graph invited (or that were found invited after an interruption). */
  /**
   * The licences and app roles of each preset the rows name, in the job's tenant; a preset that does not resolve
   * there refuses its rows (before Graph is asked), with the catalogued problem.
   */
  async function grantsOfPresets(job: BulkJobRecord, rows: readonly ClaimedBulkRow[]) {
    const byPreset = new Map<string | null, PresetGrants>()
    const refusals = new Map<string | null, ProblemError>()
    for (const presetId of new Set(rows.map((row) => row.plan.presetId ?? null))) {
      try {
        byPreset.set(
          presetId,
          (await options.grants?.grantsForPresetId(job.invitedBy.tenantId, presetId)) ?? NO_GRANTS,
        )
      } catch (error) {
        refusals.set(presetId, graphProblem(error))
        byPreset.set(presetId, NO_GRANTS)
      }
    }
    return { byPreset, refusals }
  }

  function invitationsOf(
    job: BulkJobRecord,
    invited: readonly InvitedRow[],
    now: Date,
    grants: ReadonlyMap<string | null, PresetGrants>,
  ): { record: InvitationRecord; guest: AppUser }[] {
    return invited.map(({ row, userId, graph }) =>
      newInvitationRecord({
        draft: {
          email: row.plan.email,
          redirectUrl: row.plan.redirectUrl,
          displayName: row.plan.displayName,
          message: row.plan.message,
          presetId: row.plan.presetId ?? null,
          attributes: row.plan.attributes,
          groupIds: row.plan.groupIds,
          ...(grants.get(row.plan.presetId ?? null) ?? NO_GRANTS),
        },
        graph,
        guestId: userId,
        invitedBy: job.invitedBy,
        now,
        term: termOf(row.plan.presetId ?? null, now),
        // The retrier keeps off while this batch runs the follow-ups; after a crash, it takes over.
        inFlightUntil: after(leaseSeconds),
        bulk: { jobId: job.id, rowNumber: row.rowNumber },
      }),
    )
  }

  /**
   * The follow-ups (preset attributes and groups) of the batch's new invitations, packed into `$batch` requests per
   * identity (the job's own token for `delegated` steps, the app's for `app` ones); then the BFF's own email in mode
   * `smtp`; then each invitation settled and saved, `partial` with its pending steps for the retrier (the job's
   * results read them from there).
   */
  async function finish(
    pacer: GraphPacer,
    job: BulkJobRecord,
    jobToken: string,
    created: readonly { record: InvitationRecord }[],
    plans: ReadonlyMap<number, BulkRowPlan>,
  ): Promise<void> {
    // A job in app mode has no inviter token: its `delegated` steps run with the app's, as the job itself does.
    let appToken: Promise<string> | undefined
    const tokenFor: StepTokens = async (identity) => {
      if (identity === 'delegated' || job.mode === 'app') return jobToken
      appToken ??= tokens.appToken(job.invitedBy.tenantId, 'followUp')
      return appToken
    }
    // Only invitations with steps to run or an email to send change after they were recorded.
    const records = created
      .map(({ record }) => record)
      .filter((record) => record.status === 'partial' || emailMode === 'smtp')
    if (records.length === 0) return
    const run = {
      graph: pacedGraph(pacer),
      identities,
      tokenFor,
      replicationRetryDelaysMs,
      sleep,
      pack: true,
      logger,
    }
    const retryAfter = await runFollowUpSteps(records, run)
    // A throttled step did not run: it goes again once the pacer lets it (after Graph's Retry-After).
    for (let runs = 1; runs < FOLLOW_UP_THROTTLE_RUNS; runs += 1) {
      const throttled = records.filter((record) =>
        record.steps.some((step) => step.status !== 'succeeded' && step.code === 'graph_throttled'),
      )
      if (throttled.length === 0) break
      const again = await runFollowUpSteps(throttled, run)
      for (const record of throttled) {
        const seconds = again.get(record.id)
        if (seconds === undefined) retryAfter.delete(record.id)
        else retryAfter.set(record.id, seconds)
      }
    }
    for (const record of records) {
      const rowNumber = record.bulkRowNumber as number
      if (emailMode === 'smtp' && plans.get(rowNumber)?.sendEmail !== false) {
        record.emailSentByBff = await sendInvitationEmail(
          mailer,
          record,
          { name: job.invitedBy.name, email: job.inviterUsername },
          logger,
          { locale: acceptLanguageTags(job.locale) },
        )
      }
      settleInvitation(record, clock(), retryBackoff, retryAfter.get(record.id))
    }
    await invitations.saveAll(records)
  }

  return {
    async runOnce(signal) {
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
      // A job just paused: the next look finds other work at once. A cancelled one waiting for its inviter: not now.
      if (token === undefined) return { claimed: job.status === 'running' ? 1 : 0 }

      // Room in the budget first: a claimed row's lease runs from its claim, so it must not wait for the pacer.
      const pacer = pacerFor(job.invitedBy.tenantId)
      const limit = pacer.batchSize(GRAPH_BATCH_LIMIT)
      if (!(await pacer.acquire(limit, { signal }))) return { claimed: 0 }
      const claimedAt = clock()
      let rows: ClaimedBulkRow[] = []
      try {
        rows = await store.claimRows({ jobId: job.id, now: claimedAt, limit, leaseSeconds })
      } finally {
        // Each claimed row is one request: a lookup for a stale row, an invitation for a fresh one.
        pacer.refund(limit - rows.length)
      }
      if (rows.length === 0) return { claimed: 0 }
      const outcomes: BulkRowOutcome[] = []
      const invited: InvitedRow[] = []
      let toSend = rows.filter((row) => !row.stale)
      const stale = rows.filter((row) => row.stale)
      try {
        if (stale.length > 0) {
          const reconciled = await reconcile(pacer, token, stale)
          outcomes.push(...reconciled.outcomes)
          invited.push(...reconciled.found)
          if (job.status === 'cancelled') {
            // Graph has no guest for them: never invited, and now never will be (recorded as cancelled).
            outcomes.push(...reconciled.resend.map((row) => notSentAfterCancel(row, clock())))
          } else if (reconciled.resend.length > 0) {
            toSend = [...toSend, ...reconciled.resend]
            // The lookups took the claim's room; resending takes more.
            await pacer.acquire(reconciled.resend.length, { ahead: true })
          }
        }
        // Past half its lease a row could be claimed again as a dead instance's: it goes back to the queue unsent.
        if (toSend.length > 0 && clock().getTime() - claimedAt.getTime() > (leaseSeconds * 1000) / 2) {
          pacer.refund(toSend.length)
          outcomes.push(
            ...toSend.map(
              (row): BulkRowOutcome => ({
                rowNumber: row.rowNumber,
                status: 'pending',
                notBefore: clock(),
                reason: 'graph_throttled',
                detail: AWAITING_BUDGET,
                unattempted: true,
              }),
            ),
          )
          toSend = []
        }
        const grants = await grantsOfPresets(job, [...toSend, ...invited.map(({ row }) => row)])
        const refused = toSend.filter((row) => grants.refusals.has(row.plan.presetId ?? null))
        if (refused.length > 0) {
          pacer.refund(refused.length)
          toSend = toSend.filter((row) => !refused.includes(row))
          for (const row of refused) {
            const problem = grants.refusals.get(row.plan.presetId ?? null) as ProblemError
            outcomes.push({
              rowNumber: row.rowNumber,
              status: 'failed',
              reason: problem.code,
              detail: problem.message,
            })
          }
        }
        const sent = await invite(pacer, token, job, toSend)
        outcomes.push(...sent.outcomes)
        invited.push(...sent.invited)
        // Recorded before the follow-ups, with their invitations: the guests exist now, whatever happens next.
        const created = invitationsOf(job, invited, clock(), grants.byPreset)
        await store.recordOutcomes(job.id, outcomes, clock(), created)
        if (created.length > 0) {
          const plans = new Map(invited.map(({ row }) => [row.rowNumber, row.plan]))
          await finish(pacer, job, token, created, plans)
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

/** A row Graph invited, with its answer (`null`: found by address after an interruption, the answer lost). */
interface InvitedRow {
  row: ClaimedBulkRow
  userId: string
  graph: GraphAnswer
}

/** A cancelled job's row that a lookup showed was never invited: recorded as cancelled (its job's state), not sent. */
function notSentAfterCancel(row: ClaimedBulkRow, now: Date): BulkRowOutcome {
  return {
    rowNumber: row.rowNumber,
    status: 'pending',
    notBefore: now,
    reason: null,
    detail:
      'The job was cancelled while this row was in flight; Microsoft Graph has no guest at this address, so it was not invited.',
    unattempted: true,
  }
}

/** `95 seconds`, `15 minutes`: how long a row was tried, for its detail. */
function durationText(seconds: number): string {
  return seconds < 120 ? `${Math.round(seconds)} seconds` : `${Math.round(seconds / 60)} minutes`
}

function itemProblem(answer: GraphBatchResponse): ProblemError {
  return graphProblem(batchItemError(answer))
}

function isReauthProblem(problem: ProblemError): boolean {
  return problem.code === 'unauthenticated' || problem.code === 'claims_challenge'
}

const NO_GRANTS: PresetGrants = { licenses: [], appRoles: [] }

function invitationBody(row: ClaimedBulkRow, sponsorIds: readonly string[]) {
  const { plan } = row
  return {
    ...(sponsorIds.length > 0 ? { invitedUserSponsors: sponsorIds.map((id) => ({ id })) } : {}),
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
